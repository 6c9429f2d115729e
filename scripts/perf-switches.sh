#!/usr/bin/env bash
# Counts, per thread, the system calls and context switches of each server a scenario run starts: where a server's
# CPU goes besides its socket writes (wake-ups between threads, timer sleeps, epoll waits). Run it beside
# scripts/scenarios.sh, which starts the servers one after the other; for each pattern in turn it waits for the newest
# process whose command line matches, lets it reach its steady state, and records `perf stat --per-thread` for a while.
#
#   scripts/perf-switches.sh OUT_DIR '^java .*ticker-server.jar' '^node .*server.mjs' &
#   PEERS=uws scripts/scenarios.sh C
#
# Writes OUT_DIR/perf-stat-<n>.txt, one per pattern, numbered in order. Settings (environment): SETTLE (20: seconds
# after the process appears, past the load generator's ramp-up and warm-up), WINDOW (10: seconds counted).
# Needs Linux perf with access to the syscall tracepoints (root, or perf_event_paranoid <= -1).
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR PATTERN [PATTERN...]" >&2; exit 2; }
out=$1
shift
mkdir -p "$out"
command -v perf > /dev/null || { echo "perf not found (Debian: linux-perf)" >&2; exit 2; }

events=syscalls:sys_enter_futex,syscalls:sys_enter_write,syscalls:sys_enter_sendto,syscalls:sys_enter_read
events=$events,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_ctl,cs,task-clock

n=0
for pattern in "$@"; do
    n=$((n + 1))
    until pid=$(pgrep -n -f "$pattern"); do
        sleep 0.5
    done
    file="$out/perf-stat-$n.txt"
    echo "# $(tr '\0' ' ' < "/proc/$pid/cmdline")" > "$file"
    sleep "${SETTLE:-20}"
    perf stat --per-thread -e "$events" -p "$pid" -- sleep "${WINDOW:-10}" 2>> "$file" || true
    # the next pattern may match a process started only after this one has gone
    while kill -0 "$pid" 2> /dev/null; do
        sleep 0.5
    done
done
