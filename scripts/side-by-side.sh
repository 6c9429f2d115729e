#!/usr/bin/env bash
# Side by side on this machine: our ticker server and the Node `ws` comparison peer, each driven by the same load
# generator with the same flags, one after the other, with each server's CPU time sampled during the recorded window.
# Speed claims are ratios within one run of this script (the machine is shared and noisy).
#
#   scripts/side-by-side.sh                         # scenario A: 1,000 connections x 10 of 500 symbols, 5,000 updates/s
#   CONNS=50 FIREHOSE=1 RATE=20000 scripts/side-by-side.sh    # scenario C: 50 firehose connections
#   SERVER_JVM_FLAGS="-XX:+UseShenandoahGC" PEER=0 scripts/side-by-side.sh    # our server alone, another GC
#
# Writes results/side-by-side-<UTC time>/: one load-generator results folder per server, cpu-<name>.log samples and
# table.md. Needs a JDK, Node.js with npm, and the jars (./mvnw -q package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-1000}
SYMBOLS_PER_CONNECTION=${SYMBOLS_PER_CONNECTION:-10}
FIREHOSE=${FIREHOSE:-0}
SYMBOLS=${SYMBOLS:-500}
RATE=${RATE:-5000}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
OURS_PORT=${OURS_PORT:-18080}
PEER_PORT=${PEER_PORT:-19090}
PEER_SRC=${PEER_SRC:-../shared/peers/node-ws}
SERVER_FLAGS=${SERVER_FLAGS:-}
# The JVM that runs our server and its options, e.g. SERVER_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# SERVER_JVM_FLAGS="-XX:+UseZGC -XX:+ZGenerational"; PEER=0 skips the Node peer (for comparing our own settings).
SERVER_JAVA=${SERVER_JAVA:-java}
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:-}
PEER=${PEER:-1}
OUT=results/side-by-side-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

for jar in ticker-server/target/ticker-server.jar load-generator/target/load-generator.jar; do
    [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q package -DskipTests first" >&2; exit 2; }
done

# The peer's folder may be read-only: install its dependencies in a copy.
PEER_DIR=$(mktemp -d /tmp/side-by-side-peer.XXXXXX)
cp -r "$PEER_SRC"/. "$PEER_DIR"/
(cd "$PEER_DIR" && npm ci --silent >/dev/null)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$PEER_DIR"; }
trap cleanup EXIT

if [ "$FIREHOSE" = 1 ]; then shape=(--firehose); else shape=(--symbols-per-connection "$SYMBOLS_PER_CONNECTION"); fi
hz=$(getconf CLK_TCK)

# Samples a process's CPU seconds (user + system) twice a second, with epoch milliseconds, until it exits.
sample_cpu() {
    local pid=$1 log=$2
    while [ -r "/proc/$pid/stat" ]; do
        awk -v hz="$hz" -v now="$(date +%s%3N)" '{ print now, ($14 + $15) / hz }' "/proc/$pid/stat" >> "$log" 2>/dev/null \
            || break
        sleep 0.5
    done
}

run_against() {
    local name=$1 url=$2 pid=$3
    sample_cpu "$pid" "$OUT/cpu-$name.log" &
    local sampler=$!
    java -jar load-generator/target/load-generator.jar run --url "$url" --connections "$CONNS" "${shape[@]}" \
        --warmup "$WARMUP" --duration "$DURATION" --name "$name" --out "$OUT" > "$OUT/table-$name.txt" \
        2> "$OUT/progress-$name.txt" || true
    kill "$sampler" 2>/dev/null || true
}

wait_for_port() {
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
    echo "nothing listening on $1" >&2; return 1
}

echo "$SERVER_JAVA $SERVER_JVM_FLAGS $SERVER_FLAGS" > "$OUT/server-command.txt"
"$SERVER_JAVA" -version 2>> "$OUT/server-command.txt"
# shellcheck disable=SC2086
"$SERVER_JAVA" $SERVER_JVM_FLAGS -Xlog:gc:file="$OUT/gc-ticker.log" -jar ticker-server/target/ticker-server.jar --host 127.0.0.1 --port "$OURS_PORT" --symbols "$SYMBOLS" \
    --rate "$RATE" $SERVER_FLAGS > "$OUT/server-ticker.log" 2>&1 &
pids+=($!)
wait_for_port "$OURS_PORT"
sleep 2
run_against ticker "ws://127.0.0.1:$OURS_PORT/ws" "${pids[0]}"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

if [ "$PEER" = 1 ]; then
node "$PEER_DIR/server.js" --port "$PEER_PORT" --host 127.0.0.1 --symbols "$SYMBOLS" --rate "$RATE" \
    > "$OUT/server-node-ws.log" 2>&1 &
pids+=($!)
wait_for_port "$PEER_PORT"
sleep 2
run_against node-ws "ws://127.0.0.1:$PEER_PORT/ws" "${pids[1]}"
fi

python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
lines = ["| server | p50 ms | p99 ms | p99.9 ms | max ms | quotes/s | delivered | server CPU per delivered quote (us) "
         "| generator |", "|---|---|---|---|---|---|---|---|---|"]
for name in ("ticker", "node-ws"):
    dirs = [d for d in glob.glob(os.path.join(out, "*-" + name)) if os.path.isdir(d)]
    if not dirs:
        lines.append("| %s | no result | | | | | | | |" % name)
        continue
    s = json.load(open(os.path.join(dirs[0], "summary.json")))
    start_ms = s["window"]["startEpochMicros"] / 1000.0
    end_ms = s["window"]["endEpochMicros"] / 1000.0
    samples = [tuple(map(float, l.split())) for l in open(os.path.join(out, "cpu-%s.log" % name)) if l.strip()]
    a = min(samples, key=lambda p: abs(p[0] - start_ms))
    b = min(samples, key=lambda p: abs(p[0] - end_ms))
    quotes_per_s = s["throughput"]["quotesPerSecond"]
    span_s = (b[0] - a[0]) / 1000.0
    cpu_us = (b[1] - a[1]) / (quotes_per_s * span_s) * 1e6 if span_s > 0 and quotes_per_s > 0 else float("nan")
    lat = s["latencyMicros"]
    ms = lambda us: "%.2f" % (us / 1000.0)
    lines.append("| %s | %s | %s | %s | %s | %.0f | %.4f | %.2f | %s |" % (
        name, ms(lat["p50"]), ms(lat["p99"]), ms(lat["p99.9"]), ms(lat["max"]), quotes_per_s,
        s["delivery"]["deliveredFraction"], cpu_us, s["cpu"]["verdict"]))
table = "\n".join(lines) + "\n"
open(os.path.join(out, "table.md"), "w").write(table)
print(table)
PY
echo "results in $OUT"
