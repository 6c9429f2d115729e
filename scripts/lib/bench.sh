# shellcheck shell=bash
# Shared by scripts/side-by-side.sh and scripts/scenarios.sh: start our server or a comparison peer on loopback,
# sample a process's CPU time and RSS from /proc, run the load generator, stop what was started. Source it from the
# repository root; its functions write under OUT (the results folder), which must be set before they run. Every
# command that starts a server or the generator is appended, as typed, to "$OUT/commands.txt".
#
# Settings read (with their defaults):
#   SERVER_JAVA=java  SERVER_JVM_FLAGS=  SERVER_FLAGS=   our server's JVM, its options, extra server flags
#   PEERS="node-ws uws"                                   the comparison peers, each run after our server:
#                                                         node-ws (Node `ws`, ../shared/peers/node-ws) and
#                                                         uws (uWebSockets.js pub/sub, scripts/peers/uws)
#   PEER_SRC=../shared/peers/node-ws                      node-ws's sources (each peer is copied, then `npm ci`)
#   PEER_NODE_OPTIONS=--max-old-space-size=4096           NODE_OPTIONS of the peers (many connections need heap)

BENCH_SERVER_JAR=${SERVER_JAR:-ticker-server/target/ticker-server.jar}
BENCH_LOADGEN_JAR=load-generator/target/load-generator.jar
SERVER_JAVA=${SERVER_JAVA:-java}
SERVER_JVM_FLAGS=${SERVER_JVM_FLAGS:-}
SERVER_FLAGS=${SERVER_FLAGS:-}
PEERS=${PEERS:-node-ws uws}
PEER_SRC=${PEER_SRC:-../shared/peers/node-ws}
PEER_NODE_OPTIONS=${PEER_NODE_OPTIONS:---max-old-space-size=4096}
BENCH_HZ=$(getconf CLK_TCK)
BENCH_PAGE=$(getconf PAGESIZE)
BENCH_PIDS=()
declare -A PEER_DIRS=()

bench_require_jars() {
    local jar
    for jar in "$BENCH_SERVER_JAR" "$BENCH_LOADGEN_JAR"; do
        [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -q package -DskipTests first" >&2; exit 2; }
    done
}

# The peers this library knows: each one's sources, and the script in them that starts it.
declare -A BENCH_PEER_SRC=([node-ws]="$PEER_SRC" [uws]=scripts/peers/uws)
declare -A BENCH_PEER_SCRIPT=([node-ws]=server.js [uws]=server.mjs)

# Fails on a name in PEERS this library does not know; call it before making a results folder.
bench_check_peers() {
    local peer
    for peer in $PEERS; do
        [ -n "${BENCH_PEER_SRC[$peer]:-}" ] \
            || { echo "unknown peer '$peer' in PEERS: choose from ${!BENCH_PEER_SRC[*]}" >&2; exit 2; }
    done
}

# A peer's folder may be read-only: install each peer's dependencies in a temporary copy (PEER_DIRS).
bench_prepare_peers() {
    command -v node > /dev/null || { echo "node not found: install Node.js or run with PEER=0" >&2; exit 2; }
    bench_check_peers
    local peer dir
    for peer in $PEERS; do
        dir=$(mktemp -d /tmp/bench-peer.XXXXXX)
        PEER_DIRS[$peer]=$dir
        cp -r "${BENCH_PEER_SRC[$peer]}"/. "$dir"/
        (cd "$dir" && npm ci --silent > /dev/null)
    done
}

# Stops every process this library started (by pid) and removes the peers' copies; installed as the EXIT trap.
bench_cleanup() {
    local p dir
    for p in "${BENCH_PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
    for dir in "${PEER_DIRS[@]}"; do rm -rf "$dir"; done
}

# Appends a command to commands.txt, quoted so that it can be pasted back into a shell.
bench_log_command() {
    { printf '%q ' "$@"; echo; } >> "$OUT/commands.txt"
}

# Fails when something already listens on the port: a run must never measure somebody else's server.
bench_require_free_port() {
    if (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; then
        echo "port $1 is in use by another process: choose another (OURS_PORT, PEER_PORT)" >&2
        return 1
    fi
}

# Waits until process PID listens on PORT; fails when it exits first (a bind error, a bad flag) or after 15 s.
bench_wait_for_port() {
    local port=$1 pid=$2 _
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2> /dev/null || { echo "the server (pid $pid) exited before listening on $port" >&2; return 1; }
        (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && return 0
        sleep 0.1
    done
    echo "nothing listening on $port" >&2
    return 1
}

# Samples a process twice a second until it exits or the sampler is killed: one line per sample,
# "<epoch ms> <cpu seconds, user + system> <rss bytes>". Only the total: /proc's split into user and system comes
# from the kernel's timer-tick sampling, which aliases with a server that wakes every millisecond (it put our kernel
# share at 46-71% where async-profiler saw 78-81%).
bench_sample() {
    local pid=$1 log=$2
    while [ -r "/proc/$pid/stat" ]; do
        awk -v hz="$BENCH_HZ" -v page="$BENCH_PAGE" -v now="$(date +%s%3N)" \
            '{ print now, ($14 + $15) / hz, $24 * page }' "/proc/$pid/stat" >> "$log" 2> /dev/null || break
        sleep 0.5
    done
}

# Samples the whole machine twice a second until killed: "<epoch ms> <busy CPU seconds of all cores>" from /proc/stat
# (user, nice, system, irq, softirq, steal). Less the server's and the generator's CPU, it is what else ran during a
# run: on a shared machine that is what makes one run's tail differ from the next.
bench_sample_machine() {
    local log=$1
    while true; do
        awk -v hz="$BENCH_HZ" -v now="$(date +%s%3N)" '/^cpu / { print now, ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' \
            /proc/stat >> "$log" 2> /dev/null || break
        sleep 0.5
    done
}

# Samples our server's heap from /metrics once a second while it runs:
# "<epoch ms> <heap used bytes> <heap committed bytes>". bench_sample_heap PID PORT LOG
bench_sample_heap() {
    local pid=$1 port=$2 log=$3
    while kill -0 "$pid" 2> /dev/null; do
        curl -s --max-time 1 "http://127.0.0.1:$port/metrics" 2> /dev/null | awk -v now="$(date +%s%3N)" '
            /^jvm_memory_used_bytes\{area="heap"\} / { used = $2 } /^jvm_memory_committed_bytes\{area="heap"\} / { committed = $2 }
            END { if (used != "") printf "%s %.0f %.0f\n", now, used, committed }' >> "$log"
        sleep 1
    done
}

# Starts our server in the background: bench_start_ours NAME PORT RATE [server flags...]. Its GC log goes to
# $OUT/gc-NAME.log with UTC timestamps (so that it can be cut to the recorded window), its output to
# $OUT/server-NAME.log. Sets BENCH_PID.
bench_start_ours() {
    local name=$1 port=$2 rate=$3
    shift 3
    local cmd
    # shellcheck disable=SC2206
    cmd=("$SERVER_JAVA" $SERVER_JVM_FLAGS "-Xlog:gc*:file=$OUT/gc-$name.log:utctime,uptime,level,tags"
        -jar "$BENCH_SERVER_JAR" --host 127.0.0.1 --port "$port" --symbols "${SYMBOLS:-500}" --rate "$rate"
        $SERVER_FLAGS "$@")
    bench_require_free_port "$port"
    bench_log_command "${cmd[@]}"
    "${cmd[@]}" > "$OUT/server-$name.log" 2>&1 &
    BENCH_PID=$!
    BENCH_PIDS+=("$BENCH_PID")
    bench_wait_for_port "$port" "$BENCH_PID" || { cat "$OUT/server-$name.log" >&2; return 1; }
}

# Starts a comparison peer in the background: bench_start_peer NAME PORT RATE PEER. Sets BENCH_PID.
bench_start_peer() {
    local name=$1 port=$2 rate=$3 peer=$4
    local cmd=(node "${PEER_DIRS[$peer]}/${BENCH_PEER_SCRIPT[$peer]}" --port "$port" --host 127.0.0.1 --symbols "${SYMBOLS:-500}"
        --rate "$rate")
    bench_require_free_port "$port"
    bench_log_command env "NODE_OPTIONS=$PEER_NODE_OPTIONS" "${cmd[@]}"
    NODE_OPTIONS=$PEER_NODE_OPTIONS "${cmd[@]}" > "$OUT/server-$name.log" 2>&1 &
    BENCH_PID=$!
    BENCH_PIDS+=("$BENCH_PID")
    bench_wait_for_port "$port" "$BENCH_PID" || { cat "$OUT/server-$name.log" >&2; return 1; }
}

# Stops a server with SIGTERM (ours drains) and waits for it, at most 15 s before SIGKILL.
bench_stop() {
    local pid=$1 _
    kill "$pid" 2> /dev/null || return 0
    for _ in $(seq 1 150); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
}

# Runs the load generator in the foreground: bench_loadgen NAME URL [run flags...]. Its results folder is
# $OUT/<time>-NAME; its final table goes to $OUT/table-NAME.txt, its progress to $OUT/progress-NAME.txt.
bench_loadgen() {
    local name=$1 url=$2
    shift 2
    local cmd=(java -jar "$BENCH_LOADGEN_JAR" run --url "$url" --name "$name" --out "$OUT" "$@")
    bench_log_command "${cmd[@]}"
    "${cmd[@]}" > "$OUT/table-$name.txt" 2> "$OUT/progress-$name.txt" || true
}

# The results folder the load generator wrote for run NAME (empty when there is none).
bench_result_dir() {
    local d
    for d in "$OUT"/*-"$1"; do [ -f "$d/summary.json" ] && { echo "$d"; return 0; }; done
    return 0
}
