#!/usr/bin/env bash
# Counts, per thread, the system calls and context switches of each server a scenario run starts: where a server's
# CPU goes besides its socket writes (wake-ups between threads, timer sleeps, epoll waits). Run it beside
# scripts/scenarios.sh, which starts the servers one after the other; for each pattern in turn it waits for the newest
# process whose command line matches, lets it reach its steady state, and counts for a while.
#
#   scripts/perf-switches.sh OUT_DIR '^[j]ava .*ticker-server.jar' '^[n]ode .*server.mjs --port' &
#   PEERS=uws scripts/scenarios.sh C
#
# (the brackets keep a pattern from matching this script's own command line). Writes, per pattern, numbered in order:
# - OUT_DIR/switches-<n>.txt: per thread, voluntary context switches (the thread went to sleep: a timer, an epoll
#   wait, a park), involuntary ones (the scheduler took the CPU away, here mostly for a load-generator thread that a
#   socket write woke) and CPU, from /proc/<pid>/task before and after the window. Needs nothing but Linux.
# - OUT_DIR/perf-stat-<n>.txt: `perf stat --per-thread` of the system calls that matter here, over the same window.
#   Only where Linux perf can read the syscall tracepoints (root, or perf_event_paranoid <= -1); skipped otherwise.
# Settings (environment): SETTLE (20: seconds after the process appears, past the load generator's ramp-up and
# warm-up), WINDOW (10: seconds counted).
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR PATTERN [PATTERN...]" >&2; exit 2; }
out=$1
shift
mkdir -p "$out"
window=${WINDOW:-10}
ticks=$(getconf CLK_TCK)
use_perf=0
if command -v perf > /dev/null; then
    use_perf=1
else
    echo "perf not found (Debian: linux-perf): counting context switches from /proc only" >&2
fi

events=syscalls:sys_enter_futex,syscalls:sys_enter_write,syscalls:sys_enter_sendto,syscalls:sys_enter_read
events=$events,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_ctl,cs,task-clock

# One line per thread: tid, name, voluntary switches, involuntary switches, CPU ticks (user + system).
snapshot() {
    local pid=$1 task name stat
    for task in /proc/"$pid"/task/*; do
        name=$(cat "$task/comm" 2> /dev/null) || continue
        stat=$(cat "$task/stat" 2> /dev/null) || continue
        # the fields after the command name, which may itself hold spaces
        stat=${stat##*) }
        awk -v tid="${task##*/}" -v name="$name" -v stat="$stat" '
            /^voluntary_ctxt_switches/ { v = $2 }
            /^nonvoluntary_ctxt_switches/ { n = $2 }
            END { split(stat, f, " "); printf "%s\t%s\t%d\t%d\t%d\n", tid, name, v, n, f[12] + f[13] }' \
            "$task/status" 2> /dev/null || true
    done | sort
}

# Per thread name, per second: the difference of two snapshots.
switches_table() {
    printf '# per second over %s s; cpu in %% of one core\n' "$window"
    printf '%-18s %10s %10s %7s\n' thread voluntary involuntary cpu
    join -t $'\t' <(echo "$1") <(echo "$2") | awk -F'\t' -v w="$window" -v hz="$ticks" '
        { v = $7 - $3; n = $8 - $4; c = $9 - $5
          if (v + n + c > 0) { V[$2] += v; N[$2] += n; C[$2] += c }
          tv += v; tn += n; tc += c }
        END { for (k in V) printf "%-18s %10.0f %10.0f %6.1f%%\n", k, V[k] / w, N[k] / w, 100 * C[k] / hz / w
              printf "%-18s %10.0f %10.0f %6.1f%%\n", "(all threads)", tv / w, tn / w, 100 * tc / hz / w }' \
        | sort -k1,1
}

n=0
for pattern in "$@"; do
    n=$((n + 1))
    until pid=$(pgrep -n -f "$pattern"); do
        sleep 0.5
    done
    command_line=$(tr '\0' ' ' < "/proc/$pid/cmdline")
    sleep "${SETTLE:-20}"
    before=$(snapshot "$pid")
    if [ "$use_perf" = 1 ]; then
        echo "# $command_line" > "$out/perf-stat-$n.txt"
        perf stat --per-thread -e "$events" -p "$pid" -- sleep "$window" 2>> "$out/perf-stat-$n.txt" || true
    else
        sleep "$window"
    fi
    after=$(snapshot "$pid")
    { echo "# $command_line"; switches_table "$before" "$after"; } > "$out/switches-$n.txt"
    # the next pattern may match a process started only after this one has gone
    while kill -0 "$pid" 2> /dev/null; do
        sleep 0.5
    done
done
