#!/usr/bin/env bash
# Side by side on this machine: our ticker server and the comparison peers (PEERS: Node `ws`, uWebSockets.js),
# each driven by the same load generator with the same flags, one after the other, with each server's CPU time
# sampled during the recorded window.
# Speed claims are ratios within one run of this script (the machine is shared and noisy).
#
#   scripts/side-by-side.sh                         # scenario A: 1,000 connections x 10 of 500 symbols, 5,000 updates/s
#   CONNS=50 FIREHOSE=1 RATE=20000 scripts/side-by-side.sh    # scenario C: 50 firehose connections
#   SERVER_JVM_FLAGS="-XX:+UseShenandoahGC" PEER=0 scripts/side-by-side.sh    # our server alone, another GC
#
# Writes results/side-by-side-<UTC time>/: one load-generator results folder per server, cpu-<name>.log samples (epoch
# ms, CPU seconds, RSS bytes), our server's GC log, commands.txt and table.md. Needs a JDK, Node.js with npm, python3
# and the jars (./mvnw -q package -DskipTests). scripts/scenarios.sh runs named scenarios on the same machinery.
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
# The JVM that runs our server and its options, e.g. SERVER_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# SERVER_JVM_FLAGS="-XX:+UseZGC -XX:+ZGenerational"; SERVER_FLAGS are extra server flags; PEER=0 skips the peers
# (for comparing our own settings). scripts/lib/bench.sh reads them, and PEER_SRC.
PEER=${PEER:-1}
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
bench_require_jars
if [ "$PEER" = 1 ]; then bench_check_peers; fi
OUT=results/side-by-side-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
trap bench_cleanup EXIT
if [ "$PEER" = 1 ]; then bench_prepare_peers; fi

if [ "$FIREHOSE" = 1 ]; then shape=(--firehose); else shape=(--symbols-per-connection "$SYMBOLS_PER_CONNECTION"); fi

run_against() {
    local name=$1 url=$2 pid=$3 sampler
    bench_sample "$pid" "$OUT/cpu-$name.log" &
    sampler=$!
    bench_loadgen "$name" "$url" --connections "$CONNS" "${shape[@]}" --warmup "$WARMUP" --duration "$DURATION"
    kill "$sampler" 2> /dev/null || true
}

echo "$SERVER_JAVA $SERVER_JVM_FLAGS $SERVER_FLAGS" > "$OUT/server-command.txt"
"$SERVER_JAVA" -version 2>> "$OUT/server-command.txt"
bench_start_ours ticker "$OURS_PORT" "$RATE"
sleep 2
run_against ticker "ws://127.0.0.1:$OURS_PORT/ws" "$BENCH_PID"
bench_stop "$BENCH_PID"

if [ "$PEER" = 1 ]; then
    for peer in $PEERS; do
        bench_start_peer "$peer" "$PEER_PORT" "$RATE" "$peer"
        sleep 2
        run_against "$peer" "ws://127.0.0.1:$PEER_PORT/ws" "$BENCH_PID"
        bench_stop "$BENCH_PID"
    done
fi

python3 scripts/lib/figures.py side-by-side "$OUT"
echo "results in $OUT"
