#!/usr/bin/env bash
# Failover with resume by seq: one feed process publishing over Aeron (MDC on loopback), two servers on it, and the
# load generator with --reconnect across both; server A is killed with SIGKILL in the middle of the recorded window,
# and its clients fail over to server B. Run twice, the same way: once resuming (subscribe with since + epoch, the
# default) and once with --no-resume (a plain resubscribe, snapshots), so the table shows the updates lost with and
# without resume side by side.
#
#   scripts/failover.sh                      # both runs, into results/failover-<UTC time>/
#   scripts/failover.sh results/my-folder    # the same into a folder of your choice
#   MODES=resume scripts/failover.sh         # one run only (resume or no-resume)
#
# Settings (environment): MODES ("no-resume resume"), RATE (2000 updates/s), SYMBOLS (200), CONNECTIONS (200),
# SYMBOLS_PER_CONNECTION (10), WARMUP (5s), DURATION (30s), KILL_AFTER (seconds into the recorded window, as the
# generator's progress line says: 15, halfway), DRAIN_TIMEOUT (60s: long, so that every quote made in the window
# arrives before the updates still missing are counted as lost), BASE_PORT (25000: the feed's MDC control port; servers listen on BASE_PORT+1 and +2
# for HTTP and on UDP BASE_PORT+11 and +12 for the feed), AERON_TMP (java.io.tmpdir of the three processes, where
# their embedded Aeron drivers keep their files; default a fresh folder under /tmp), SERVER_FLAGS, LOADGEN_FLAGS,
# JVM_FLAGS (JVM options of the feed and the servers; on a machine so loaded that an embedded driver misses Aeron's
# 10 s timeouts: -Daeron.driver.timeout=60000 -Daeron.client.liveness.timeout=30000000000
# -Daeron.publication.unblock.timeout=60000000000), SERVER_JAR, FEED_JAR, LOADGEN_JAR (other builds than target/).
#
# The observer (the generator's own firehose that counts what the feed made) is on the last --url, server B, which
# stays up. Each run writes its generator folder (summary.json, report.html, ...), the three processes' logs and
# kill.txt (when A was killed); commands.txt has every command as run, and table.md the figures. Builds nothing:
# needs a JDK, python3 and the jars (./mvnw -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
}
case "${1:-}" in -h|--help) usage ;; esac
[ $# -le 1 ] || usage

MODES=${MODES:-no-resume resume}
RATE=${RATE:-2000}
SYMBOLS=${SYMBOLS:-200}
CONNECTIONS=${CONNECTIONS:-200}
SYMBOLS_PER_CONNECTION=${SYMBOLS_PER_CONNECTION:-10}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-30s}
KILL_AFTER=${KILL_AFTER:-15}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-60s}
BASE_PORT=${BASE_PORT:-25000}
SERVER_FLAGS=${SERVER_FLAGS:-}
LOADGEN_FLAGS=${LOADGEN_FLAGS:-}
FEED_JAR=${FEED_JAR:-feed-simulator/target/feed-simulator.jar}
SEED=42

for mode in $MODES; do
    case "$mode" in resume|no-resume) ;; *) echo "MODES: '$mode' is not resume or no-resume" >&2; exit 2 ;; esac
done
OUT=${1:-results/failover-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
AERON_TMP=${AERON_TMP:-$(mktemp -d /tmp/ticker-failover-aeron.XXXXXX)}
mkdir -p "$AERON_TMP"

# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
BENCH_LOADGEN_JAR=${LOADGEN_JAR:-$BENCH_LOADGEN_JAR}
bench_require_jars
[ -f "$FEED_JAR" ] || { echo "missing $FEED_JAR: run ./mvnw -q package -DskipTests first" >&2; exit 2; }
trap bench_cleanup EXIT

CONTROL=$BASE_PORT
PORT_A=$((BASE_PORT + 1))
PORT_B=$((BASE_PORT + 2))
# shellcheck disable=SC2206 # JVM_FLAGS is a list of options
JVM=(java "-Djava.io.tmpdir=$AERON_TMP" ${JVM_FLAGS:-})

# Starts a program in the background with its output in a log; its pid goes to BENCH_PIDS and into $STARTED.
start() {
    local log=$1
    shift
    bench_log_command "$@"
    "$@" > "$log" 2>&1 &
    STARTED=$!
    BENCH_PIDS+=("$STARTED")
}

await_ready() {
    local port=$1 i
    for i in $(seq 1 150); do
        if curl -fs "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "server on $port not ready after 30 s" >&2
    return 1
}

stop() {
    local pid
    for pid in "$@"; do
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
}

run_mode() {
    local mode=$1 dir="$OUT/$mode" flag=""
    mkdir -p "$dir"
    [ "$mode" = no-resume ] && flag=--no-resume
    echo "# $mode" >> "$OUT/commands.txt"
    bench_require_free_port "$PORT_A"
    bench_require_free_port "$PORT_B"
    start "$dir/feed.log" "${JVM[@]}" -jar "$FEED_JAR" --symbols "$SYMBOLS" --seed "$SEED" --rate "$RATE" \
        --duration 0 --publish "aeron:udp?control=127.0.0.1:$CONTROL|control-mode=dynamic"
    local feed=$STARTED
    # shellcheck disable=SC2086 # SERVER_FLAGS is a list of flags
    start "$dir/server-a.log" "${JVM[@]}" -jar "$BENCH_SERVER_JAR" --host 127.0.0.1 --port "$PORT_A" \
        --symbols "$SYMBOLS" --seed "$SEED" $SERVER_FLAGS \
        --feed "aeron:udp?endpoint=127.0.0.1:$((BASE_PORT + 11))|control=127.0.0.1:$CONTROL|control-mode=dynamic"
    local server_a=$STARTED
    # shellcheck disable=SC2086
    start "$dir/server-b.log" "${JVM[@]}" -jar "$BENCH_SERVER_JAR" --host 127.0.0.1 --port "$PORT_B" \
        --symbols "$SYMBOLS" --seed "$SEED" $SERVER_FLAGS \
        --feed "aeron:udp?endpoint=127.0.0.1:$((BASE_PORT + 12))|control=127.0.0.1:$CONTROL|control-mode=dynamic"
    local server_b=$STARTED
    await_ready "$PORT_A"
    await_ready "$PORT_B"
    # shellcheck disable=SC2086 # LOADGEN_FLAGS is a list of flags
    start "$dir/loadgen.log" java -jar "$BENCH_LOADGEN_JAR" run --url "ws://127.0.0.1:$PORT_A/ws" \
        --url "ws://127.0.0.1:$PORT_B/ws" --connections "$CONNECTIONS" \
        --symbols-per-connection "$SYMBOLS_PER_CONNECTION" --reconnect $flag --warmup "$WARMUP" \
        --duration "$DURATION" --drain-timeout "$DRAIN_TIMEOUT" --out "$dir" --name "$mode" $LOADGEN_FLAGS
    local loadgen=$STARTED
    # the ramp-up's length depends on the machine: count from the window's start, which the progress line shows
    until grep -q "recording" "$dir/loadgen.log"; do
        kill -0 "$loadgen" 2> /dev/null || { echo "the generator ended before its window (see $dir/loadgen.log)" >&2
            return 1; }
        sleep 0.2
    done
    sleep "$KILL_AFTER"
    kill -9 "$server_a"
    echo "server A (pid $server_a, port $PORT_A) killed with SIGKILL at $(date -u +%H:%M:%S.%3N) UTC," \
        "about $KILL_AFTER s into the recorded window" | tee "$dir/kill.txt"
    echo "kill -9 <server A> # about $KILL_AFTER s into the recorded window" >> "$OUT/commands.txt"
    wait "$loadgen" || echo "the generator exited with $? (see $dir/loadgen.log)"
    stop "$server_b" "$feed"
    wait "$server_a" 2> /dev/null || true
}

{
    echo "# made by: scripts/failover.sh $OUT (MODES='$MODES' RATE=$RATE SYMBOLS=$SYMBOLS CONNECTIONS=$CONNECTIONS" \
        "SYMBOLS_PER_CONNECTION=$SYMBOLS_PER_CONNECTION WARMUP=$WARMUP DURATION=$DURATION KILL_AFTER=$KILL_AFTER" \
        "DRAIN_TIMEOUT=$DRAIN_TIMEOUT JVM_FLAGS='${JVM_FLAGS:-}'), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# commit $(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
} >> "$OUT/commands.txt"
for mode in $MODES; do
    run_mode "$mode"
done

python3 - "$OUT" $MODES > "$OUT/table.md" << 'EOF'
import glob, json, os, sys
out, modes = sys.argv[1], sys.argv[2:]
print("| run | connections | disconnects / reconnects | resumes asked | recovered | not recovered | replayed "
      "quotes | expected | received | conflated | lost | delivered | seq violations | caught up | p99 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for mode in modes:
    found = glob.glob(os.path.join(out, mode, "*", "summary.json"))
    if not found:
        print(f"| {mode} | no summary.json: see {mode}/loadgen.log |" + " |" * 13)
        continue
    s = json.load(open(found[0]))
    c, r, d = s["connections"], s["resume"], s["delivery"]
    lost = d.get("lost")
    frac = d.get("lostFraction")
    deliv = d.get("deliveredFraction")
    print(f"| {mode} | {c['target']} | {c['disconnects']} / {c['reconnects']} | {r['asked']} | {r['recovered']} "
          f"| {r['notRecovered']} {r['notRecoveredByReason'] or ''} | {r['replayedQuotes']:,} "
          f"| {d.get('expected') or 0:,} | {d['received']:,} | {d['conflated']:,} "
          f"| {'-' if lost is None else f'{lost:,} ({frac * 100:.2f}%)'} "
          f"| {'-' if deliv is None else f'{deliv * 100:.2f}%'} | {s['seqViolations']} "
          f"| {s['window']['subscribersCaughtUp']} of {c['target']} "
          f"| {s['latencyMicros'].get('p99', 0) / 1000:.1f} ms |")
EOF
cat "$OUT/table.md"
echo "results in $OUT"
