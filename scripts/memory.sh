#!/usr/bin/env bash
# Memory per idle connection of our server: one server (1,000 symbols, a near-idle feed by default), and at each step
# a fresh load generator holding N connections subscribed to one symbol each. At 0 connections and at each N it reads,
# after two full GCs: the server's RSS, its heap in use, Native Memory Tracking's summary (committed heap, GC
# structures, code, metaspace, threads, ...) and the kernel's TCP memory; table.md gives each step and the cost per
# connection over the step before.
#
#   scripts/memory.sh                                            # 0, 2,000 and 10,000 connections
#   CONNS=2000 SERVER_JVM_FLAGS="-XX:+UseSerialGC" scripts/memory.sh     # another GC, fewer steps
#
# Memory readings do not need a quiet machine, so run it under `nice` beside other work. The server gets long
# handshake, stall and ping limits (a starved generator is not closed as dead), and the feed is near idle (RATE 100):
# on a busy machine a 2,000 updates/s feed backs up in the server, and RSS then measures the backlog.
#
# Settings (environment): CONNS ("2000 10000"), RATE (100), SYMBOLS (1000), RAMP (500/s), PORT (18080),
# SERVER_JAVA (java), SERVER_JVM_FLAGS, SERVER_FLAGS, SERVER_JAR and LOADGEN_JAR (point them at copies when building
# meanwhile: a jar replaced under a running server fails it).
#
# Writes results/memory-<UTC time>/: table.md, commands.txt, the server's log, nmt-<N>.txt, histo-<N>.txt (the top of
# the class histogram) and the load generator's progress per step. Builds nothing: needs a JDK with jcmd, curl,
# python3 and the jars (./mvnw -q package -DskipTests). Raises its own open-file limit (two descriptors per
# connection on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-2000 10000}
RATE=${RATE:-100}
SYMBOLS=${SYMBOLS:-1000}
RAMP=${RAMP:-500/s}
PORT=${PORT:-18080}
SERVER_JAVA=${SERVER_JAVA:-java}
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:-}
SERVER_FLAGS=${SERVER_FLAGS:-}
SERVER_JAR=${SERVER_JAR:-ticker-server/target/ticker-server.jar}
LOADGEN_JAR=${LOADGEN_JAR:-load-generator/target/load-generator.jar}
for jar in "$SERVER_JAR" "$LOADGEN_JAR"; do
    [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q package -DskipTests first" >&2; exit 2; }
done
JCMD=$(dirname "$(readlink -f "$(command -v "$SERVER_JAVA")")")/jcmd
[ -x "$JCMD" ] || JCMD=jcmd
ulimit -n "$(ulimit -Hn)"
OUT=results/memory-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done' EXIT

# jcmd with a patient attach (a starved JVM answers late), tried again a few times
jcmd_server() {
    local _
    for _ in 1 2 3 4 5; do
        "$JCMD" -J-Dsun.tools.attach.attachTimeout=60000 "$SERVER_PID" "$@" && return 0
        sleep 5
    done
    return 1
}
log_command() { { printf '%q ' "$@"; echo; } >> "$OUT/commands.txt"; }
connections() { curl -s --max-time 5 "http://127.0.0.1:$PORT/metrics" | awk '/^ticker_connections / { print $2 + 0 }'; }

# shellcheck disable=SC2206
server=("$SERVER_JAVA" $SERVER_JVM_FLAGS -XX:NativeMemoryTracking=summary -jar "$SERVER_JAR" --host 127.0.0.1
    --port "$PORT" --symbols "$SYMBOLS" --rate "$RATE" --zipf 0 --handshake-timeout 60s --stall-timeout 10m
    --ping-interval 5m $SERVER_FLAGS)
log_command "${server[@]}"
"${server[@]}" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2> /dev/null || { cat "$OUT/server.log" >&2; exit 1; }
    curl -sf --max-time 1 "http://127.0.0.1:$PORT/health/live" > /dev/null 2>&1 && break
    sleep 0.2
done

# One reading: "<step> <connections> <rss KiB> <heap used bytes> <tcp pages>" into points.txt, NMT and histogram
# beside it.
reading() {
    local step=$1
    sleep 3
    jcmd_server GC.run > /dev/null
    sleep 1
    jcmd_server GC.run > /dev/null
    sleep 2
    jcmd_server VM.native_memory summary > "$OUT/nmt-$step.txt"
    jcmd_server GC.class_histogram > "$OUT/histo-$step.full"
    head -103 "$OUT/histo-$step.full" > "$OUT/histo-$step.txt"
    rm "$OUT/histo-$step.full"
    # G1 prints the whole heap's use on its first line; Serial and Parallel one line per generation
    local heap rss tcp
    heap=$(jcmd_server GC.heap_info | awk '/Metaspace/ { exit } { while (match($0, /used [0-9]+K/)) {
        n = substr($0, RSTART + 5, RLENGTH - 6); sum += n; if (/garbage-first/) { print n * 1024; done = 1; exit }
        $0 = substr($0, RSTART + RLENGTH) } } END { if (!done) print sum * 1024 }')
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
    tcp=$(awk '/^TCP:/ { print $NF }' /proc/net/sockstat)
    echo "$step $(connections) $rss $heap $tcp" >> "$OUT/points.txt"
}

sleep 5
reading 0
for n in $CONNS; do
    generator=(java -jar "$LOADGEN_JAR" run --url "ws://127.0.0.1:$PORT/ws" --connections "$n"
        --symbols-per-connection 1 --ramp-up "$RAMP" --connect-timeout 120s --warmup 1s --duration 1h --no-observer
        --out /tmp --name memory)
    log_command "${generator[@]}"
    # a starved server can miss the generator's first request (the symbol list): try again, up to three times
    for _ in 1 2 3; do
        "${generator[@]}" > "$OUT/progress-$n.txt" 2>&1 &
        gen=$!
        PIDS+=("$gen")
        sleep 10
        kill -0 "$gen" 2> /dev/null && break
    done
    # every connection up, or the count standing still for 15 s (some connects failed: measure those that are up)
    last=-1 still=0
    for _ in $(seq 1 900); do
        up=$(connections); up=${up:-0}
        [ "$up" -ge "$n" ] && break
        if [ "$up" = "$last" ]; then still=$((still + 1)); [ "$still" -ge 15 ] && break; else still=0; fi
        last=$up
        sleep 1
    done
    reading "$n"
    kill "$gen" 2> /dev/null || true
    wait "$gen" 2> /dev/null || true
    for _ in $(seq 1 60); do [ "$(connections)" = 0 ] && break; sleep 1; done
done
kill "$SERVER_PID"
wait "$SERVER_PID" 2> /dev/null || true

python3 scripts/lib/figures.py memory "$OUT" "$SERVER_JVM_FLAGS"
echo "results in $OUT"
