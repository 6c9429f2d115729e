#!/usr/bin/env python3
"""Figures for scripts/side-by-side.sh and scripts/scenarios.sh, from what they leave in a results folder: the load
generator's summary.json, the /proc samples of a server (bench_sample), our server's GC log and heap samples.

    figures.py side-by-side OUT            writes OUT/table.md for side-by-side.sh and prints it
    figures.py scenarios OUT               writes OUT/table.md from OUT/runs.jsonl and prints it
    figures.py held RUN_DIR P99_MS FRACTION    exit 0 when the run held: delivered >= FRACTION and p99 <= P99_MS
    figures.py memory OUT JVM_FLAGS        writes OUT/table.md for memory.sh from OUT/points.txt and OUT/nmt-*.txt
"""
import datetime
import glob
import json
import os
import re
import sys


def load_summary(run_dir):
    if not run_dir:
        return None
    path = os.path.join(run_dir, "summary.json")
    return json.load(open(path)) if os.path.isfile(path) else None


def get(d, *path):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def read_samples(path):
    """Lines of numbers: (epoch ms, value, value...)."""
    if not path or not os.path.isfile(path):
        return []
    out = []
    for line in open(path):
        parts = line.split()
        try:
            out.append(tuple(float(p) for p in parts))
        except ValueError:
            continue
    return [s for s in out if len(s) >= 2]


def window_ms(summary):
    return summary["window"]["startEpochMicros"] / 1000.0, summary["window"]["endEpochMicros"] / 1000.0


def cpu_over_window(samples, summary):
    """(CPU seconds, wall seconds) of the server between the samples nearest the recorded window's ends, or None."""
    if not samples or not summary:
        return None
    start, end = window_ms(summary)
    a = min(samples, key=lambda p: abs(p[0] - start))
    b = min(samples, key=lambda p: abs(p[0] - end))
    span_s = (b[0] - a[0]) / 1000.0
    return (b[1] - a[1], span_s) if span_s > 0 else None


def cpu_us_per_quote(samples, summary):
    """Server CPU time over the recorded window divided by the quotes delivered in it, in microseconds."""
    cpu = cpu_over_window(samples, summary)
    quotes_per_s = get(summary, "throughput", "quotesPerSecond") or 0
    if not cpu or quotes_per_s <= 0:
        return None
    return cpu[0] / (quotes_per_s * cpu[1]) * 1e6


def cpu_cores(samples, summary):
    """The server's CPU over the recorded window, in cores (1.0 = one core busy the whole window)."""
    cpu = cpu_over_window(samples, summary)
    return cpu[0] / cpu[1] if cpu else None


def other_cores(machine_samples, server_cores, summary):
    """CPU of everything but the server and the load generator over the recorded window, in cores: the machine's busy
    time (machine-<run>.log) less the server's and the generator's own (its average share of the machine)."""
    machine = cpu_cores(machine_samples, summary)
    generator = get(summary, "cpu", "processShareAvg")
    cores = get(summary, "cpu", "cores")
    if machine is None or server_cores is None or generator is None or not cores:
        return None
    return max(0.0, machine - server_cores - generator * cores)


def max_in_window(samples, column, start, end):
    values = [s[column] for s in samples if len(s) > column and start <= s[0] <= end]
    return max(values) if values else None


GC_LINE = re.compile(r"^\[(?P<time>[^\]]+)\]\[[^\]]*\]\[\w+\s*\]\[(?P<tags>[^\]]+)\]\s*(?P<msg>.*)$")
HEAP_CHANGE = re.compile(r"(?P<before>\d+)M(?:\([^)]*\))?->(?P<after>\d+)M")
PAUSE = re.compile(r"\bPause\b.*?(?P<ms>\d+(?:\.\d+)?)ms$")


def parse_time(text):
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000.0
    except ValueError:
        return None


def gc_figures(path, start, end):
    """Allocation rate and the longest pause inside [start, end] (epoch ms) from a -Xlog:gc* log with utctime.

    Allocation between two collections = heap before the later one - heap after the earlier one; the rate is their
    sum over the collections in the window divided by the time they span. Concurrent collectors (ZGC, Shenandoah)
    log heap sizes at a cycle's ends while allocation goes on, so there it is an estimate."""
    if not path or not os.path.isfile(path):
        return {}
    changes, pauses = [], []
    for line in open(path, errors="replace"):
        m = GC_LINE.match(line.rstrip())
        if not m:
            continue
        t = parse_time(m.group("time"))
        if t is None:
            continue
        tags = m.group("tags").strip()
        msg = m.group("msg")
        p = PAUSE.search(msg)
        if p and "GC(" in msg:
            pauses.append((t, float(p.group("ms"))))
        h = HEAP_CHANGE.search(msg)
        if tags == "gc" and h and "GC(" in msg:
            changes.append((t, int(h.group("before")), int(h.group("after"))))
    out = {"collections": sum(1 for t, _, _ in changes if start <= t <= end)}
    in_window = [p for t, p in pauses if start <= t <= end]
    out["maxPauseMs"] = max(in_window) if in_window else None
    allocated, first, last = 0, None, None
    for i in range(1, len(changes)):
        t, before, _ = changes[i]
        if start <= t <= end:
            allocated += max(0, before - changes[i - 1][2])
            first = changes[i - 1][0] if first is None else first
            last = t
    if first is not None and last > first:
        out["allocMBps"] = allocated * 1.048576 / ((last - first) / 1000.0)
    return out


def fmt(value, pattern="%.2f", empty="-"):
    return empty if value is None else pattern % value


def ms(us):
    return fmt(None if us is None else us / 1000.0)


def mb(value):
    return fmt(None if value is None else value / 1e6, "%.0f MB")


def side_by_side(out):
    lines = ["| server | p50 ms | p99 ms | p99.9 ms | max ms | quotes/s | delivered | server CPU per delivered quote (us) "
             "| generator |", "|---|---|---|---|---|---|---|---|---|"]
    names = ["ticker"] + sorted(os.path.basename(d).split("-", 2)[2] for d in glob.glob(os.path.join(out, "*-*-*"))
                                if os.path.isdir(d) and not d.endswith("-ticker"))
    for name in names:
        dirs = [d for d in glob.glob(os.path.join(out, "*-" + name)) if os.path.isdir(d)]
        s = load_summary(dirs[0]) if dirs else None
        if not s:
            lines.append("| %s | no result | | | | | | | |" % name)
            continue
        lat = s["latencyMicros"]
        cpu = cpu_us_per_quote(read_samples(os.path.join(out, "cpu-%s.log" % name)), s)
        lines.append("| %s | %s | %s | %s | %s | %.0f | %s | %s | %s |" % (
            name, ms(lat["p50"]), ms(lat["p99"]), ms(lat["p99.9"]), ms(lat["max"]),
            s["throughput"]["quotesPerSecond"], fmt(get(s, "delivery", "deliveredFraction"), "%.4f"),
            fmt(cpu), s["cpu"]["verdict"]))
    return "\n".join(lines) + "\n"


def held(summary, p99_max_ms, delivered_min, rate=None):
    """Whether a step of scenario B held, and if not why."""
    if not summary:
        return False, "no result"
    delivered = delivered_fraction(summary, rate)[0]
    p99 = get(summary, "latencyMicros", "p99")
    if delivered is None or delivered < delivered_min:
        return False, "delivered %s < %s" % (fmt(delivered, "%.4f", "unknown"), delivered_min)
    if p99 is None or p99 / 1000.0 > p99_max_ms:
        return False, "p99 %s ms > %s ms" % (ms(p99), p99_max_ms)
    return True, "held"


def generator_note(s):
    if get(s, "cpu", "saturated"):
        return "SATURATED %s of %s s" % (get(s, "cpu", "saturatedSeconds"), get(s, "cpu", "recordedSeconds"))
    return "headroom (busiest loop %s, process %s)" % (
        fmt(get(s, "cpu", "busiestLoopShareMax") and get(s, "cpu", "busiestLoopShareMax") * 100, "%.0f%%"),
        fmt(get(s, "cpu", "processShareMax") and get(s, "cpu", "processShareMax") * 100, "%.0f%%"))


def metric_delta(summary, name):
    """A counter of our server's /metrics over the run (after - before), or None for a server without it."""
    values = []
    for key in ("metricsBefore", "metricsAfter"):
        texts = get(summary, "server", key) or {}
        text = next(iter(texts.values()), None) if isinstance(texts, dict) else None
        m = re.search(r"^%s (\S+)$" % re.escape(name), text or "", re.M)
        values.append(float(m.group(1)) if m else None)
    return None if None in values else values[1] - values[0]


def read_memory(path):
    """mem-LABEL.txt: lines '<point> <rss bytes> <heap used bytes or -> <server connections or ->'."""
    points = {}
    if path and os.path.isfile(path):
        for line in open(path):
            parts = line.split()
            if len(parts) >= 4:
                points[parts[0]] = [None if p == "-" else float(p) for p in parts[1:4]]
    return points


def scenarios(out):
    runs = [json.loads(line) for line in open(os.path.join(out, "runs.jsonl")) if line.strip()]
    for run in runs:
        run["summary"] = load_summary(run.get("dir"))
        s = run["summary"]
        run["cpu"] = cpu_us_per_quote(read_samples(run.get("cpuLog")), s) if s else None
        run["gc"] = gc_figures(run.get("gcLog"), *window_ms(s)) if s and run.get("gcLog") else {}
        run["cores"] = cpu_cores(read_samples(run.get("cpuLog")), s) if s else None
        run["rss"] = max_in_window(read_samples(run.get("cpuLog")), 2, *window_ms(s)) if s else None
        run["others"] = other_cores(read_samples(run.get("machineLog")), run["cores"], s) if s else None
    text = ["# Scenarios, " + os.path.basename(out.rstrip("/")).replace("scenarios-", ""), ""]
    first = next((r["summary"] for r in runs if r["summary"]), None)
    if first:
        m = first.get("machine", {})
        text += ["Machine: %s cores, %s; load generator on the same machine, loopback. Only ratios within this run "
                 "count." % (get(m, "cores") or get(m, "availableProcessors") or "?", get(m, "os") or ""), ""]
    text += ["## Every run", "",
             "| scenario | server | feed updates/s | connections up/target | deliveries/s | delivered | p50 ms "
             "| p99 ms | p99.9 ms | max ms | server CPU µs per delivered quote | quotes per frame "
             "| server CPU µs per frame | frames/s | server CPU (cores) | other processes' CPU (cores) "
             "| server max RSS | alloc MB/s | max GC pause ms | load generator |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        s = r["summary"]
        if not s:
            text.append("| %s | %s | %s | no result (see progress-%s.txt) | | | | | | | | | | | | | | | | |" % (
                r["label"], r["server"], r["rate"], r["name"]))
            continue
        lat = s["latencyMicros"]
        per_frame = get(s, "throughput", "quotesPerFrame")
        text.append("| %s | %s | %s | %s/%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                    "| %s | %s |" % (
            r["label"], r["server"], r["rate"], get(s, "connections", "peakUp"), get(s, "connections", "target"),
            fmt(get(s, "throughput", "quotesPerSecond"), "%.0f"),
            delivered_text(s, r["rate"]), ms(lat.get("p50")), ms(lat.get("p99")), ms(lat.get("p99.9")), ms(lat.get("max")), fmt(r["cpu"]),
            fmt(per_frame), fmt(r["cpu"] and per_frame and r["cpu"] * per_frame),
            fmt(get(s, "throughput", "framesPerSecond"), "%.0f"), fmt(r["cores"]), fmt(r["others"]), mb(r["rss"]),
            fmt(r["gc"].get("allocMBps"), "%.0f", "-" if not r["server"].startswith("ticker") else "no GC in window"),
            fmt(r["gc"].get("maxPauseMs"), "%.1f", "-" if not r["server"].startswith("ticker") else "none"),
            generator_note(s)))
        if r.get("note"):
            text.append("| | ↳ %s | | | | | | | | | | | | | | | | | | |" % r["note"])
    text.append("")
    text += capacity_tables(runs)

    steps = [r for r in runs if r["scenario"] == "B"]
    if steps:
        text += ["## B: highest feed rate held (delivered ≥ %s and p99 ≤ %s ms)" % (
            steps[0]["deliveredMin"], steps[0]["p99MaxMs"]), "",
            "| server | highest rate held | deliveries/s there | first rate not held | why |", "|---|---|---|---|---|"]
        for server in dict.fromkeys(r["server"] for r in steps):
            best, failed = None, None
            for r in (x for x in steps if x["server"] == server):
                ok, why = held(r["summary"], r["p99MaxMs"], r["deliveredMin"])
                if ok:
                    best = r
                else:
                    failed = (r, why)
                    break
            text.append("| %s | %s | %s | %s | %s |" % (
                server, best["rate"] if best else "none of the steps",
                fmt(get(best["summary"], "throughput", "quotesPerSecond"), "%.0f") if best else "-",
                failed[0]["rate"] if failed else "none failed (raise B_RATES)", failed[1] if failed else ""))
        text.append("")

    d_runs = [r for r in runs if r["scenario"] == "D"]
    if d_runs:
        text += ["## D: many connections, connect rate and memory per connection", "",
                 "RSS and heap are read before the generator connects and once every connection is up; heap after "
                 "a full GC (jcmd GC.run, then jvm_memory_used_bytes{area=\"heap\"} from /metrics), ours only.", "",
                 "| server | connections up | connects/s in ramp-up | connect p99 ms (TCP+upgrade) | upgrade p99 ms "
                 "| RSS before → after | RSS per connection | heap before → after | heap per connection |",
                 "|---|---|---|---|---|---|---|---|---|"]
        for r in d_runs:
            s = r["summary"] or {}
            mem = read_memory(r.get("memLog"))
            before, after = mem.get("before"), mem.get("after")
            per_rss = per_heap = None
            conns = None
            if before and after:
                conns = (after[2] or 0) - (before[2] or 0)
                if conns > 0:
                    per_rss = (after[0] - before[0]) / conns
                    if after[1] is not None and before[1] is not None:
                        per_heap = (after[1] - before[1]) / conns
            text.append("| %s | %s | %s | %s | %s | %s → %s | %s | %s → %s | %s |" % (
                r["server"], fmt(conns, "%.0f"), fmt(get(s, "connections", "connectsPerSecond"), "%.0f"),
                ms(get(s, "connectTimeMicros", "p99")), ms(get(s, "upgradeTimeMicros", "p99")),
                mb(before and before[0]), mb(after and after[0]), fmt(per_rss, "%.0f B"),
                mb(before and before[1]), mb(after and after[1]), fmt(per_heap, "%.0f B")))
        text.append("")

    e_runs = [r for r in runs if r["scenario"] == "E"]
    if e_runs:
        text += ["## E: slow subscribers and bursts", "",
                 "Healthy subscribers should see every update as itself (not received = 0, no conflation, no seq "
                 "violation) at a low p99; slow ones are conflated while the server's memory stays bounded (the "
                 "largest RSS and heap sampled in the window). Slow delivered counts what reached them by the end of "
                 "the generator's drain; the server's own count of conflated quotes and of subscribers closed for "
                 "stalling come from its /metrics (ours only).", "",
                 "| server | healthy p99 ms | healthy p99.9 ms | healthy not received | healthy conflated "
                 "| seq violations | slow subscribers | slow delivered | slow p50 ms | slow conflated (seen / server) "
                 "| closed for stalling | max RSS | max heap |",
                 "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in e_runs:
            s = r["summary"]
            if not s:
                continue
            h = get(s, "subscriberGroups", "healthy") or {}
            w = get(s, "subscriberGroups", "slow") or {}
            start, end = window_ms(s)
            rss = max_in_window(read_samples(r.get("cpuLog")), 2, start, end)
            heap = max_in_window(read_samples(r.get("heapLog")), 1, start, end)
            text.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
                r["server"], ms(get(h, "latencyMicros", "p99")), ms(get(h, "latencyMicros", "p99.9")),
                fmt(get(h, "notReceived"), "%.0f"), fmt(get(h, "delivery", "conflated"), "%.0f"),
                fmt(get(s, "seqViolations"), "%.0f"), fmt(get(w, "subscribers"), "%.0f"),
                fmt(get(w, "delivery", "deliveredFraction") and get(w, "delivery", "deliveredFraction") * 100,
                    "%.2f%%"), ms(get(w, "latencyMicros", "p50")),
                fmt(get(w, "delivery", "conflated"), "%.0f"),
                fmt(metric_delta(s, "ticker_quotes_conflated_total"), "%.0f"),
                fmt(metric_delta(s, "ticker_stalled_closed_total"), "%.0f"), mb(rss), mb(heap)))
        text.append("")

    text += ["## Commands", "", "Exactly as run (also in commands.txt):", "", "```"]
    text += [line.rstrip() for line in open(os.path.join(out, "commands.txt"))] + ["```", ""]
    return "\n".join(text)


def delivered_fraction(summary, rate):
    """The load generator's delivered fraction; when its observer could not count the window (a firehose observer
    falls behind at the highest rates, and the generator warns that its count is off the published rate), an estimate from the feed rate: a uniform feed of RATE over M symbols gives
    each of N x K subscriptions RATE / M updates a second. Returns (fraction, estimated)."""
    fraction = get(summary, "delivery", "deliveredFraction")
    if fraction is not None and not get(summary, "delivery", "warning"):
        return fraction, False
    universe = get(summary, "config", "symbolUniverse")
    per_connection = get(summary, "config", "symbolsPerConnection")
    # every connection asked for, subscribed or not: one whose subscription was never answered got nothing
    subscribed = get(summary, "config", "connections")
    seconds = get(summary, "window", "seconds")
    got = (get(summary, "delivery", "received") or 0) + (get(summary, "delivery", "conflated") or 0)
    if not (universe and per_connection and subscribed and seconds and rate) or get(summary, "config", "firehose"):
        return None, False
    return got / (float(rate) * seconds * subscribed * min(per_connection, universe) / universe), True


def delivered_text(summary, rate):
    fraction, estimated = delivered_fraction(summary, rate)
    return ("≈" if estimated else "") + fmt(fraction and fraction * 100, "%.2f%%")


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2.0


def rss_per_connection(run):
    mem = read_memory(run.get("memLog"))
    before, after = mem.get("before"), mem.get("after")
    if not before or not after:
        return None
    conns = (after[2] or 0) - (before[2] or 0)
    return (after[0] - before[0]) / conns if conns > 0 else None


def capacity_tables(runs):
    """S1-S4: per scenario step and server, the median over the rounds (the range when there are several)."""
    cells = {}
    for r in runs:
        if r["scenario"] in ("S1", "S2", "S3", "S4") and r["summary"]:
            cells.setdefault((r["scenario"], r["label"]), {}).setdefault(r["server"], []).append(r)
    if not cells:
        return []
    rounds = max(len(v) for c in cells.values() for v in c.values())
    text = ["## S1-S4: each server beside the others (%s)" % (
        "median of %d interleaved rounds; p99 range in brackets" % rounds if rounds > 1 else "one round"), "",
        "Held (S4) = delivered ≥ %s and p99 ≤ %s ms. Delivered counts quotes received and quotes reported "
        "conflated; ≈ marks an estimate from the feed rate where the load generator's observer could not count "
        "the window. CPU is the server process's over the recorded window, per delivered quote and per frame "
        "(quotes per frame from the load generator)." % (
            next(r["deliveredMin"] for r in runs if r["scenario"] == "S4") if any(
                r["scenario"] == "S4" for r in runs) else "-",
            fmt(next((r["p99MaxMs"] for r in runs if r["scenario"] == "S4"), None), "%.0f")), "",
        "| scenario | server | deliveries/s | delivered | p50 ms | p99 ms | p99.9 ms | µs CPU per quote "
        "| µs CPU per frame | frames/s | quotes per frame | server CPU (cores) | max RSS | RSS per connection | held |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for (scenario, label), servers in cells.items():
        for server, rs in servers.items():
            def m(f):
                return median([f(r) for r in rs])
            p99s = [get(r["summary"], "latencyMicros", "p99") for r in rs]
            p99 = ms(m(lambda r: get(r["summary"], "latencyMicros", "p99")))
            if len(rs) > 1:
                p99 += " (%s-%s)" % (ms(min(p99s)), ms(max(p99s)))
            qpf = m(lambda r: get(r["summary"], "throughput", "quotesPerFrame"))
            cpu = m(lambda r: r["cpu"])
            held_steps = [held(r["summary"], r["p99MaxMs"], r["deliveredMin"], r["rate"])[0] for r in rs]
            estimated = any(delivered_fraction(r["summary"], r["rate"])[1] for r in rs)
            delivered = m(lambda r: delivered_fraction(r["summary"], r["rate"])[0])
            text.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                label, server, fmt(m(lambda r: get(r["summary"], "throughput", "quotesPerSecond")), "%.0f"),
                ("≈" if estimated else "") + fmt(delivered and delivered * 100, "%.2f%%"),
                ms(m(lambda r: get(r["summary"], "latencyMicros", "p50"))), p99,
                ms(m(lambda r: get(r["summary"], "latencyMicros", "p99.9"))), fmt(cpu),
                fmt(m(lambda r: r["cpu"] and get(r["summary"], "throughput", "quotesPerFrame")
                      and r["cpu"] * get(r["summary"], "throughput", "quotesPerFrame"))),
                fmt(m(lambda r: get(r["summary"], "throughput", "framesPerSecond")), "%.0f"), fmt(qpf),
                fmt(m(lambda r: r["cores"])), mb(m(lambda r: r["rss"])),
                fmt(m(rss_per_connection), "%.0f B"),
                ("%d of %d" % (sum(held_steps), len(held_steps))) if scenario == "S4" else ""))
    text.append("")
    return text


NMT_CATEGORIES = ["Java Heap", "GC", "Code", "Metaspace", "Class", "Shared class space", "Thread", "Symbol", "Other"]


def native_memory(path):
    """Committed KiB per category of a `jcmd VM.native_memory summary`, and the total as "Total"."""
    text = open(path).read()
    found = {m.group(1).strip(): int(m.group(2))
             for m in re.finditer(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", text, re.M)}
    found["Total"] = int(re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", text).group(1))
    return found


def memory(out, jvm_flags):
    """memory.sh's readings: one row per step, then the cost per connection of each step over the one before."""
    points = [line.split() for line in open(os.path.join(out, "points.txt"))]
    nmt = {step: native_memory(os.path.join(out, "nmt-%s.txt" % step)) for step, *_ in points}
    rows = ["# Memory per idle connection", "",
            "JVM flags: `%s`. Each reading after two full GCs; kernel TCP is /proc/net/sockstat's TCP pages, both ends "
            "of every loopback connection. MB = 2^20 bytes, KB = 2^10." % (jvm_flags or "(none)"), "",
            "| connections | RSS MB | heap in use MB | " + " | ".join("NMT %s MB" % c for c in NMT_CATEGORIES)
            + " | kernel TCP MB |", "|---" * (4 + len(NMT_CATEGORIES)) + "|"]
    for step, conns, rss_kb, heap, tcp_pages in points:
        rows.append("| %s | %.1f | %.1f | %s | %.1f |" % (
            format(int(conns), ","), int(rss_kb) / 1024, int(heap) / 2 ** 20,
            " | ".join("%.1f" % (nmt[step].get(c, 0) / 1024) for c in NMT_CATEGORIES), int(tcp_pages) * 4 / 1024))
    rows += ["", "| connections | RSS KB per connection | heap KB per connection | NMT committed KB per connection "
             "| kernel TCP KB per connection |", "|---|---|---|---|---|"]
    for before, after in zip(points, points[1:]):
        added = int(after[1]) - int(before[1])
        if added > 0:
            rows.append("| %s → %s | %.1f | %.1f | %.1f | %.1f |" % (
                format(int(before[1]), ","), format(int(after[1]), ","), (int(after[2]) - int(before[2])) / added,
                (int(after[3]) - int(before[3])) / 1024 / added,
                (nmt[after[0]]["Total"] - nmt[before[0]]["Total"]) / added,
                (int(after[4]) - int(before[4])) * 4 / added))
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) >= 2 and argv[0] == "side-by-side":
        table = side_by_side(argv[1])
    elif len(argv) >= 2 and argv[0] == "scenarios":
        table = scenarios(argv[1])
    elif len(argv) >= 2 and argv[0] == "memory":
        table = memory(argv[1], argv[2] if len(argv) > 2 else "")
    elif len(argv) == 4 and argv[0] == "held":
        ok, why = held(load_summary(argv[1]), float(argv[2]), float(argv[3]))
        print(why)
        return 0 if ok else 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    open(os.path.join(argv[1], "table.md"), "w").write(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
