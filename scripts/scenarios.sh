#!/usr/bin/env bash
# Named load scenarios against our server and, unless PEER=0, the comparison peers (PEERS: the Node `ws` peer and
# uWebSockets.js pub/sub): each run on a fresh server on
# loopback, driven by the load generator, with the server's CPU time and RSS sampled from /proc and our server's GC
# logged. Speed claims are ratios within one run of this script (the machine is shared and noisy).
#
#   scripts/scenarios.sh A C          # some scenarios
#   scripts/scenarios.sh all          # A B C D E
#   DURATION=10s CONNS_SCALE=0.05 PEER=0 scripts/scenarios.sh all    # a quick look at a small scale
#
# Scenarios (connections are multiplied by CONNS_SCALE unless given outright by <S>_CONNS):
#   A  1,000 connections x 10 of 500 symbols, 5,000 updates/s (100,000 deliveries/s)
#   B  A's shape, the feed rate raised step by step (B_RATES) until delivered < B_DELIVERED_MIN or p99 > B_P99_MS;
#      reports the highest rate held per server
#   C  50 firehose connections, 20,000 updates/s (1,000,000 deliveries/s); the generator says if it had headroom
#   D  19,000 connections x 1 symbol, 2,000 updates/s: connect rate, handshake p99, RSS and heap per connection
#   E  2,000 connections x 10 symbols, one in ten slow (E_SLOW_FLAGS), the feed bursting 3x (E_BURST_FLAGS, ours
#      only: the peers have no burst mode): healthy p99 and gaps, slow ones conflated, the server's memory bounded
# The capacity shapes (each server's feed uniform over its symbols: ours with --zipf 0, as the peers' feeds are), each
# run ROUNDS times with the servers interleaved (ours, then each peer, then ours again):
#   S1 1,000 connections x 10 of 500 symbols, 5,000 updates/s (A's shape)
#   S2 50 firehose connections, 20,000 updates/s (C's shape)
#   S3 10,000 connections x 1 of 1,000 symbols, 2,000 updates/s: p99 and RSS per connection
#   S4 S1's shape at each rate of S4_RATES, every server at one rate before the next: per step delivered, p99,
#      server CPU, frames/s, quotes per frame and CPU per frame; held = delivered >= S4_DELIVERED_MIN and
#      p99 <= S4_P99_MS
#   S  S1 S2 S3 S4
#
# Settings (environment): DURATION (30s), WARMUP (5s), SERVER_FLAGS, SERVER_JAR (another build, for before/after
# runs), SERVER_JAVA, SERVER_JVM_FLAGS, PEER (1), PEERS ("node-ws uws"),
# CONNS_SCALE (1), A_CONNS, B_CONNS, C_CONNS, D_CONNS, E_CONNS, A_RATE (5000), B_RATES ("2000 3000 4000 5000 6000
# 8000 10000 15000 20000"), B_P99_MS (10), B_DELIVERED_MIN (0.999), C_RATE (20000), D_RATE (2000), D_RAMP (5000/s),
# D_WARMUP (40s), E_RATE (5000), E_SLOW_FLAGS, E_BURST_FLAGS, E_SERVER_FLAGS (set one empty to drop it: E_BURST_FLAGS=
# runs our feed steady, like the peers'), LOADGEN_FLAGS (added to every generator run), BEFORE_JAR (another build of
# our server, run as "ticker-before" just before ours in every scenario: before and after a change, interleaved),
# BEFORE_FLAGS (server flags of ticker-before only: the same build with other settings when BEFORE_JAR is unset),
# BEFORE_JVM_FLAGS (ticker-before's JVM options in place of SERVER_JVM_FLAGS; set, even empty, it runs ticker-before),
# OURS_PORT (18080), PEER_PORT (19090), PEER_SRC, PEER_NODE_OPTIONS; for S1-S4: ROUNDS (1), S_OURS_FLAGS (--zipf 0),
# S1_RATE (5000), S2_RATE (20000), S3_RATE (2000), S3_CONNS (10000), S3_RAMP (5000/s), S4_RATES ("5000 10000 20000
# 30000 40000 50000"), S4_P99_MS (100), S4_DELIVERED_MIN (0.95).
#
# Writes results/scenarios-<UTC time>/: one load-generator folder per run, server logs, /proc samples
# (cpu-<run>.log: epoch ms, CPU seconds, RSS bytes; machine-<run>.log: epoch ms, the whole machine's busy CPU
# seconds), GC logs, commands.txt and table.md. Builds nothing: needs a
# JDK, Node.js with npm (unless PEER=0), python3, curl and the jars (./mvnw -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
}

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
PEER=${PEER:-1}
CONNS_SCALE=${CONNS_SCALE:-1}
OURS_PORT=${OURS_PORT:-18080}
PEER_PORT=${PEER_PORT:-19090}
A_RATE=${A_RATE:-5000}
# Steps of 1,000 around A's rate: on this machine the p99 limit falls between 4,000 and 5,000, inside the noise of
# coarser steps.
B_RATES=${B_RATES:-2000 3000 4000 5000 6000 8000 10000 15000 20000}
B_P99_MS=${B_P99_MS:-10}
B_DELIVERED_MIN=${B_DELIVERED_MIN:-0.999}
C_RATE=${C_RATE:-20000}
D_RATE=${D_RATE:-2000}
D_RAMP=${D_RAMP:-5000/s}
# The generator's ramp-up ends when it has started every connect, but at ~1,100 upgrades/s the last of 19,000 is up
# ~25 s later: the warm-up must cover that, so that the full GC before the memory reading falls outside the window.
D_WARMUP=${D_WARMUP:-40s}
E_RATE=${E_RATE:-5000}
E_SLOW_FLAGS=${E_SLOW_FLAGS---slow-fraction 0.1 --slow-read-rate 4k --pause-every 10s --pause-for 3s}
E_BURST_FLAGS=${E_BURST_FLAGS---burst-factor 3 --burst-every 5s --burst-for 1s}
# Our server caps each socket's kernel send buffer in E, so that a slow reader shows up (and is conflated) within
# milliseconds instead of hiding seconds of backlog in a 4 MiB autotuned buffer; the peer has no such setting.
E_SERVER_FLAGS=${E_SERVER_FLAGS---send-buffer 65536}
LOADGEN_FLAGS=${LOADGEN_FLAGS:-}
BEFORE_JAR=${BEFORE_JAR:-}
BEFORE_FLAGS=${BEFORE_FLAGS:-}
ROUNDS=${ROUNDS:-1}
# The peers' feeds pick symbols uniformly; ours defaults to a Zipf skew like a real market, which changes batching.
S_OURS_FLAGS=${S_OURS_FLAGS---zipf 0}
S1_RATE=${S1_RATE:-5000}
S2_RATE=${S2_RATE:-20000}
S3_RATE=${S3_RATE:-2000}
S3_RAMP=${S3_RAMP:-5000/s}
S4_RATES=${S4_RATES:-5000 10000 20000 30000 40000 50000}
S4_P99_MS=${S4_P99_MS:-100}
S4_DELIVERED_MIN=${S4_DELIVERED_MIN:-0.95}

[ $# -gt 0 ] || usage
wanted=()
for arg in "$@"; do
    case "$arg" in
        all) wanted+=(A B C D E) ;;
        S) wanted+=(S1 S2 S3 S4) ;;
        A|B|C|D|E|S1|S2|S3|S4) wanted+=("$arg") ;;
        -h|--help) usage ;;
        *) echo "unknown scenario '$arg': choose from A B C D E all S1 S2 S3 S4 S" >&2; exit 2 ;;
    esac
done

# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
bench_require_jars
if [ "$PEER" = 1 ]; then bench_check_peers; fi

OUT=results/scenarios-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
: > "$OUT/commands.txt"
: > "$OUT/runs.jsonl"
# on any exit, stop what was started; after a failure, still tabulate the runs that finished
finish() {
    bench_cleanup
    [ -f "$OUT/table.md" ] || [ ! -s "$OUT/runs.jsonl" ] \
        || python3 scripts/lib/figures.py scenarios "$OUT" > /dev/null 2>&1 || true
}
trap finish EXIT
if [ "$PEER" = 1 ]; then bench_prepare_peers; fi

# D needs a descriptor per connection in the generator and in the server: take what the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
echo "open files: $(ulimit -n); ephemeral ports: $(tr '\t' - < /proc/sys/net/ipv4/ip_local_port_range)" \
    | tee "$OUT/limits.txt"
"$SERVER_JAVA" -version 2>> "$OUT/limits.txt"
[ "$PEER" = 1 ] && node --version >> "$OUT/limits.txt"

# jcmd of the JDK that runs our server (the one on the PATH otherwise), for a full GC before reading the heap.
JCMD=$(dirname "$(readlink -f "$(command -v "$SERVER_JAVA")")")/jcmd
[ -x "$JCMD" ] || JCMD=jcmd

# Connections for a scenario: <S>_CONNS if set, otherwise the full count times CONNS_SCALE (at least 1).
conns() {
    local override="${1}_CONNS"
    if [ -n "${!override:-}" ]; then echo "${!override}"; return; fi
    awk -v n="$2" -v s="$CONNS_SCALE" 'BEGIN { c = int(n * s + 0.5); print (c < 1 ? 1 : c) }'
}

servers() {
    if [ -n "$BEFORE_JAR$BEFORE_FLAGS${BEFORE_JVM_FLAGS+set}" ]; then echo ticker-before; fi
    echo ticker
    if [ "$PEER" = 1 ]; then echo $PEERS; fi
}

is_ours() {
    [ "$1" = ticker ] || [ "$1" = ticker-before ]
}

# Reads a server's open WebSocket connections: ours from /metrics, the peer from /health.
server_connections() {
    local server=$1 port=$2
    if is_ours "$server"; then
        curl -s --max-time 2 "http://127.0.0.1:$port/metrics" | awk '/^ticker_connections / { print $2 + 0 }'
    else
        curl -s --max-time 2 "http://127.0.0.1:$port/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["connections"])' 2> /dev/null
    fi
}

# One memory point of a server: "<point> <rss bytes> <heap used bytes after a full GC, or -> <connections>".
memory_point() {
    local point=$1 server=$2 pid=$3 port=$4 log=$5 heap=- rss
    if is_ours "$server"; then
        "$JCMD" "$pid" GC.run > /dev/null 2>&1 || true
        sleep 1
        heap=$(curl -s --max-time 2 "http://127.0.0.1:$port/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"\} / { printf "%.0f", $2 }')
    fi
    rss=$(awk -v page="$BENCH_PAGE" '{ print $24 * page }' "/proc/$pid/stat")
    echo "$point $rss ${heap:--} $(server_connections "$server" "$port" || echo -)" >> "$log"
}

# One run: run_case SCENARIO LABEL SERVER RATE CONNECTIONS "SERVER EXTRA FLAGS" [load-generator flags...]
# Starts a fresh server, samples it, runs the generator, stops the server and appends the run to runs.jsonl.
# Set MEMORY=1 for D's before/after memory points, HEAP=1 for heap samples, NOTE for a line under the run.
run_case() {
    local scenario=$1 label=$2 server=$3 rate=$4 connections=$5 extra=$6
    shift 6
    local name="$label-$server${ROUND:+-r$ROUND}" port pid sampler machine_sampler heap_sampler='' generator url
    echo "== $name: $connections connections, feed $rate updates/s" >&2
    if [ "$server" = ticker-before ]; then
        port=$OURS_PORT
        # shellcheck disable=SC2086
        BENCH_SERVER_JAR=${BEFORE_JAR:-$BENCH_SERVER_JAR} SERVER_JVM_FLAGS=${BEFORE_JVM_FLAGS-$SERVER_JVM_FLAGS} \
            bench_start_ours "$name" "$port" "$rate" $extra $BEFORE_FLAGS
    elif [ "$server" = ticker ]; then
        port=$OURS_PORT
        # shellcheck disable=SC2086
        bench_start_ours "$name" "$port" "$rate" $extra
    else
        port=$PEER_PORT
        bench_start_peer "$name" "$port" "$rate" "$server"
    fi
    pid=$BENCH_PID
    url="ws://127.0.0.1:$port/ws"
    sleep 2
    bench_sample "$pid" "$OUT/cpu-$name.log" &
    sampler=$!
    BENCH_PIDS+=("$sampler")
    bench_sample_machine "$OUT/machine-$name.log" &
    machine_sampler=$!
    BENCH_PIDS+=("$machine_sampler")
    if [ "${HEAP:-0}" = 1 ] && is_ours "$server"; then
        bench_sample_heap "$pid" "$port" "$OUT/heap-$name.log" &
        heap_sampler=$!
        BENCH_PIDS+=("$heap_sampler")
    fi
    if [ "${MEMORY:-0}" = 1 ]; then
        memory_point before "$server" "$pid" "$port" "$OUT/mem-$name.txt"
        # shellcheck disable=SC2086
        bench_loadgen "$name" "$url" --connections "$connections" "$@" $LOADGEN_FLAGS &
        generator=$!
        # measure once every connection is up (the observer is one more), or once the count has stood still for
        # 10 s (some connects failed: waiting for the generator to end would measure a server with none left)
        local waited=0 up=0 last=-1 still=0
        while kill -0 "$generator" 2> /dev/null && [ "$waited" -lt 600 ]; do
            up=$(server_connections "$server" "$port" || echo 0)
            up=${up:-0}
            [ "$up" -ge "$connections" ] && break
            if [ "$up" -gt 0 ] && [ "$up" = "$last" ]; then
                still=$((still + 1))
                [ "$still" -ge 10 ] && break
            else
                still=0
            fi
            last=$up
            sleep 1
            waited=$((waited + 1))
        done
        memory_point after "$server" "$pid" "$port" "$OUT/mem-$name.txt"
        wait "$generator" || true
    else
        # shellcheck disable=SC2086
        bench_loadgen "$name" "$url" --connections "$connections" "$@" $LOADGEN_FLAGS
    fi
    kill "$sampler" "$machine_sampler" 2> /dev/null || true
    [ -z "$heap_sampler" ] || kill "$heap_sampler" 2> /dev/null || true
    bench_stop "$pid"
    local gc_log='' heap_log='' mem_log=''
    ! is_ours "$server" || gc_log="$OUT/gc-$name.log"
    [ -z "$heap_sampler" ] || heap_log="$OUT/heap-$name.log"
    [ "${MEMORY:-0}" != 1 ] || mem_log="$OUT/mem-$name.txt"
    python3 -c 'import json, sys; a = sys.argv[2:]; run = dict(zip(a[::2], a[1::2]))
for k in ("connections", "p99MaxMs", "deliveredMin", "round"): run[k] = float(run[k])
open(sys.argv[1], "a").write(json.dumps(run) + "\n")' "$OUT/runs.jsonl" scenario "$scenario" label "$label" \
        server "$server" name "$name" rate "$rate" connections "$connections" dir "$(bench_result_dir "$name")" \
        cpuLog "$OUT/cpu-$name.log" machineLog "$OUT/machine-$name.log" gcLog "$gc_log" heapLog "$heap_log" memLog "$mem_log" note "${NOTE:-}" \
        p99MaxMs "${P99_MAX_MS:-$B_P99_MS}" deliveredMin "${DELIVERED_MIN:-$B_DELIVERED_MIN}" round "${ROUND:-1}"
}

common=(--warmup "$WARMUP" --duration "$DURATION")

scenario_A() {
    local server
    for server in $(servers); do
        run_case A A "$server" "$A_RATE" "$(conns A 1000)" "" --symbols-per-connection 10 "${common[@]}"
    done
}

scenario_B() {
    local server rate dir
    for server in $(servers); do
        for rate in $B_RATES; do
            run_case B "B-$rate" "$server" "$rate" "$(conns B 1000)" "" --symbols-per-connection 10 "${common[@]}"
            dir=$(bench_result_dir "B-$rate-$server")
            if ! python3 scripts/lib/figures.py held "$dir" "$B_P99_MS" "$B_DELIVERED_MIN" >&2; then
                break
            fi
        done
    done
}

scenario_C() {
    local server
    for server in $(servers); do
        run_case C C "$server" "$C_RATE" "$(conns C 50)" "" --firehose "${common[@]}"
    done
}

scenario_D() {
    local server
    for server in $(servers); do
        MEMORY=1 run_case D D "$server" "$D_RATE" "$(conns D 19000)" "" --symbols-per-connection 1 \
            --ramp-up "$D_RAMP" --warmup "$D_WARMUP" --duration "$DURATION"
    done
}

scenario_E() {
    local server
    # shellcheck disable=SC2206
    local slow=($E_SLOW_FLAGS)
    for server in $(servers); do
        if is_ours "$server"; then
            HEAP=1 run_case E E "$server" "$E_RATE" "$(conns E 2000)" "$E_BURST_FLAGS $E_SERVER_FLAGS" \
                --symbols-per-connection 10 "${slow[@]}" "${common[@]}"
        else
            NOTE="the peers have no burst mode: this one's feed ran steady at $E_RATE updates/s" \
                run_case E E "$server" "$E_RATE" "$(conns E 2000)" "" --symbols-per-connection 10 "${slow[@]}" \
                "${common[@]}"
        fi
    done
}

# One S scenario's runs: for each round, each server in turn.
# s_runs SCENARIO LABEL RATE CONNECTIONS [load-generator flags...]
s_runs() {
    local scenario=$1 label=$2 rate=$3 connections=$4 round server
    shift 4
    for round in $(seq 1 "$ROUNDS"); do
        for server in $(servers); do
            ROUND=$round run_case "$scenario" "$label" "$server" "$rate" "$connections" "$S_OURS_FLAGS" "$@"
        done
    done
}

scenario_S1() {
    s_runs S1 S1 "$S1_RATE" "$(conns S1 1000)" --symbols-per-connection 10 "${common[@]}"
}

scenario_S2() {
    s_runs S2 S2 "$S2_RATE" "$(conns S2 50)" --firehose "${common[@]}"
}

scenario_S3() {
    SYMBOLS=1000 MEMORY=1 s_runs S3 S3 "$S3_RATE" "$(conns S3 10000)" --symbols-per-connection 1 \
        --ramp-up "$S3_RAMP" "${common[@]}"
}

scenario_S4() {
    local rate
    for rate in $S4_RATES; do
        P99_MAX_MS=$S4_P99_MS DELIVERED_MIN=$S4_DELIVERED_MIN s_runs S4 "S4-$rate" "$rate" "$(conns S4 1000)" \
            --symbols-per-connection 10 "${common[@]}"
    done
}

for scenario in "${wanted[@]}"; do
    "scenario_$scenario"
done

python3 scripts/lib/figures.py scenarios "$OUT"
echo "results in $OUT"
