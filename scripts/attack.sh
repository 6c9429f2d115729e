#!/usr/bin/env bash
# The attack suite: starts the server on a small heap with 20,000 symbols, runs each hostile case of
# scripts/attack/AttackSuite.java beside a healthy subscriber, and prints the table (case, expected, observed, the
# healthy client's p99 during it, connections / fds / heap after). Exits non-zero if a case failed.
#   scripts/attack.sh [OUT_DIR]     (default: results/attack-<UTC date>/; needs ticker-server/target/ticker-server.jar)
# Extra server flags: ATTACK_SERVER_FLAGS="..."; JVM flags: ATTACK_JVM_FLAGS (default -Xmx384m).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=ticker-server/target/ticker-server.jar
[[ -f $jar ]] || ./mvnw -B -q -pl ticker-server -am verify -DskipTests
out="${1:-results/attack-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
port="${ATTACK_PORT:-18480}"
jvm_flags="${ATTACK_JVM_FLAGS:--Xmx384m}"
# shellcheck disable=SC2086
java $jvm_flags -jar "$jar" --host 127.0.0.1 --port "$port" --symbols 20000 ${ATTACK_SERVER_FLAGS:-} \
    > "$out/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
    sleep 0.2
done
{
    echo "command: scripts/attack.sh $* (server: java $jvm_flags -jar $jar --host 127.0.0.1 --port $port" \
        "--symbols 20000 ${ATTACK_SERVER_FLAGS:-}), commit $(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M') UTC"
    echo "machine: $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
} > "$out/commands.txt"
status=0
java scripts/attack/AttackSuite.java "$port" "$server_pid" | tee "$out/run.txt" || status=$?
sed -n '/^| case/,$p' "$out/run.txt" > "$out/table.md"
echo "table: $out/table.md"
exit "$status"
