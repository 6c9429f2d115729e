#!/usr/bin/env bash
# A cross-check of scripts/scenarios.sh with a client that is not our load generator: the JDK's own WebSocket client
# (scripts/probe/JdkWebSocketProbe.java, java.net.http; PROBE=node: Node `ws`, scripts/probe/ws-probe.js) against our
# server and the peers, one after the other, each on a fresh server with the same uniform feed (ours with --zipf 0),
# ROUNDS times interleaved. It counts quotes, frames
# and latency (receive time minus ts); delivered is received (plus reported conflated) over what a uniform feed of
# RATE over the server's symbols sends to the subscriptions made. Server CPU is sampled from /proc as in scenarios.sh;
# the probe reports its own (process and busiest thread, in cores): a busiest thread near 1.0 is a probe measuring
# itself, and on 2 cores at S1 both probes are close to that (docs/PERFORMANCE.md).
#
#   scripts/cross-check.sh                                    # S1: 1,000 connections x 10 of 500, 5,000 updates/s
#   RATE=20000 scripts/cross-check.sh                         # S4's 20,000 step
#   CONNS=10000 K=1 SYMBOLS=1000 RATE=2000 scripts/cross-check.sh    # S3
#
# Settings (environment): CONNS (1000), K (10), SYMBOLS (500), RATE (5000), WARMUP (5, seconds), DURATION (20),
# ROUNDS (1), PROBE (jdk or node), PROBE_THREADS (0: the JDK client's listeners run on its selector thread),
# PROBE_CLIENTS (1: HttpClients, each with a selector thread, the connections spread over them), PEERS,
# SERVER_JAR, SERVER_FLAGS, SERVER_JVM_FLAGS, OURS_PORT (18080), PEER_PORT (19090), as in scenarios.sh. Writes
# results/cross-check-<UTC time>/: probe-<server>-r<round>.json, cpu logs, commands.txt and table.md. Needs the jars
# (the JDK probe takes HdrHistogram from the load generator's), Node.js and npm for the peers.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-1000}
K=${K:-10}
export SYMBOLS=${SYMBOLS:-500}
RATE=${RATE:-5000}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-1}
PROBE=${PROBE:-jdk}
PROBE_THREADS=${PROBE_THREADS:-0}
PROBE_CLIENTS=${PROBE_CLIENTS:-1}
OURS_PORT=${OURS_PORT:-18080}
PEER_PORT=${PEER_PORT:-19090}

# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
bench_require_jars
bench_check_peers
OUT=results/cross-check-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
trap bench_cleanup EXIT
bench_prepare_peers
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true

for round in $(seq 1 "$ROUNDS"); do
    for server in ticker $PEERS; do
        name=$server-r$round
        echo "== $name: $CONNS connections x $K of $SYMBOLS symbols, $RATE updates/s" >&2
        if [ "$server" = ticker ]; then
            port=$OURS_PORT
            bench_start_ours "$name" "$port" "$RATE" --zipf 0
        else
            port=$PEER_PORT
            bench_start_peer "$name" "$port" "$RATE" "$server"
        fi
        pid=$BENCH_PID
        sleep 2
        bench_sample "$pid" "$OUT/cpu-$name.log" &
        sampler=$!
        if [ "$PROBE" = node ]; then
            cmd=(node scripts/probe/ws-probe.js)
        else
            cmd=(java -cp "$BENCH_LOADGEN_JAR" scripts/probe/JdkWebSocketProbe.java --threads "$PROBE_THREADS"
                --clients "$PROBE_CLIENTS")
        fi
        cmd+=(--url "ws://127.0.0.1:$port/ws" --connections "$CONNS" --symbols-per-connection "$K" --rate "$RATE"
            --warmup "$WARMUP" --duration "$DURATION")
        bench_log_command "${cmd[@]}"
        "${cmd[@]}" > "$OUT/probe-$name.json" 2> "$OUT/probe-$name.err" || true
        kill "$sampler" 2> /dev/null || true
        bench_stop "$pid"
    done
done

python3 - "$OUT" <<'EOF'
import glob, json, os, sys
out = sys.argv[1]
lines = ["| server | round | deliveries/s | delivered | p50 ms | p99 ms | p99.9 ms | frames/s | quotes per frame "
         "| server CPU (cores) | µs CPU per quote | µs CPU per frame | probe CPU (cores) | probe's busiest thread (cores) |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for path in sorted(glob.glob(os.path.join(out, "probe-*.json")), key=os.path.getmtime):
    name = os.path.basename(path)[len("probe-"):-len(".json")]
    server, rnd = name.rsplit("-r", 1)
    try:
        p = json.load(open(path))
    except ValueError:
        lines.append("| %s | %s | no result (see probe-%s.err) | | | | | | | | | | | |" % (server, rnd, name))
        continue
    # the probe's recorded window is its last DURATION seconds: the CPU over the same span of the samples
    samples = [tuple(map(float, l.split())) for l in open(os.path.join(out, "cpu-%s.log" % name)) if l.strip()]
    span = float(os.environ.get("DURATION", "20"))
    end = samples[-1][0] - 500 if samples else 0
    a = min(samples, key=lambda s: abs(s[0] - (end - span * 1000))) if samples else None
    b = min(samples, key=lambda s: abs(s[0] - end)) if samples else None
    cores = (b[1] - a[1]) / ((b[0] - a[0]) / 1000.0) if a and b and b[0] > a[0] else None
    per_quote = cores / p["quotesPerSecond"] * 1e6 if cores and p["quotesPerSecond"] else None
    f = lambda v, pat="%.2f": "-" if v is None else pat % v
    lines.append("| %s | %s | %.0f | %.2f%% | %.2f | %.2f | %.2f | %.0f | %.2f | %s | %s | %s | %s | %s |" % (
        server, rnd, p["quotesPerSecond"], p["delivered"] * 100, p["p50Ms"], p["p99Ms"], p["p999Ms"],
        p["framesPerSecond"], p["quotesPerFrame"], f(cores), f(per_quote),
        f(per_quote and per_quote * p["quotesPerFrame"]), f(p.get("probeCores")),
        "%s (%s)" % (f(p.get("busiestThreadCores")), p.get("busiestThread", "-"))))
lines += ["", "Commands, exactly as run:", "", "```"] + [l.rstrip() for l in open(os.path.join(out, "commands.txt"))] + ["```"]
open(os.path.join(out, "table.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
echo "results in $OUT"
