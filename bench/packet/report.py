"""Reads the key=value lines bench/packet-server.sh collected; 'worst' names a round to run again, 'report' writes the Markdown."""
import statistics
import sys


def load(path):
    rows = []
    for line in open(path):
        fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
        if "per_s" in fields or "relayed_per_s" in fields:
            rows.append(fields)
    return rows


def value(rows, round_, name, key):
    for r in rows:
        if r["round"] == str(round_) and r["name"] == name and key in r:
            return float(r[key])
    return None


def rounds_of(rows):
    return sorted({int(r["round"]) for r in rows})


def median(rows, name, key):
    values = [value(rows, n, name, key) for n in rounds_of(rows)]
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def cpu_per_datagram(rows, name):
    """Median over rounds of the server's CPU microseconds per datagram it answered or relayed."""
    values = []
    for n in rounds_of(rows):
        cpu = value(rows, n, name, "cpu_s")
        count = value(rows, n, name, "received")
        if count is None:
            trips = value(rows, n, name, "round_trips")
            count = 2 * trips if trips is not None else None
        if cpu is not None and count:
            values.append(cpu * 1e6 / count)
    return statistics.median(values) if values else float("nan")


def worst(rows):
    echo = {n: value(rows, n, "echo-closed", "per_s") or 0 for n in rounds_of(rows)}
    if not echo:
        return ""
    best = max(echo.values())
    low = min(echo, key=echo.get)
    return str(low) if echo[low] < 0.7 * best else ""


def ratio(a, b):
    return a / b if b else float("nan")


def report(rows, out, date, machine, kernel, coturn, sockets, seconds, nsock, window, rate, allocations, relay_window):
    m = lambda name, key: median(rows, name, key)
    lines = [
        "# Packet server benchmark: Punch's UDP path next to coturn",
        "",
        f"Written by `bench/packet-server.sh` on {date}. Machine: {machine}, Linux {kernel}; {coturn}. Loopback only.",
        f"Punch: {sockets or 'see the log'}. Each measurement runs {seconds} s; {len(rounds_of(rows))} rounds alternate who goes first;"
        " the tables give each round, the summary the median over rounds.",
        "",
        "Load generators are ours, in C (bench/packet/): `stun-load` (Binding, "
        f"{nsock} sockets x {window} in flight closed loop, or {int(float(rate)):,} requests/s open loop, paced every millisecond), "
        f"`relay-load` ({allocations} allocations x {relay_window} frames in flight; coturn: TURN Allocate + ChannelBind, --no-auth, "
        "ChannelData to a C echo peer; Punch: sessions set up by `Punch.RelayBench --setup`, ChannelData-framed frames echoed by the other side), "
        "and `mmsg-echo` (recvmmsg/sendmmsg echo, one SO_REUSEPORT socket per core: the C baseline, also coturn's relay peer). "
        "Every relayed round trip is two relayed datagrams. The generator shares the cores with the server under test.",
        "",
        "## Summary (median of rounds)",
        "",
        "| | Punch | coturn | Punch / coturn |",
        "|---|---|---|---|",
        f"| Binding closed loop, responses/s | {m('punch-closed','per_s'):,.0f} | {m('coturn-closed','per_s'):,.0f} | {ratio(m('punch-closed','per_s'), m('coturn-closed','per_s')):.2f}x |",
        f"| Binding closed loop p50 / p99 µs | {m('punch-closed','p50_us'):.0f} / {m('punch-closed','p99_us'):.0f} | {m('coturn-closed','p50_us'):.0f} / {m('coturn-closed','p99_us'):.0f} | |",
        f"| Binding open loop, {int(float(rate)):,}/s asked: offered /s (what the generator got out) | {m('punch-open','offered_per_s'):,.0f} | {m('coturn-open','offered_per_s'):,.0f} | |",
        f"| Binding open loop: loss % | {m('punch-open','loss_pct'):.3f} | {m('coturn-open','loss_pct'):.3f} | |",
        f"| Binding open loop p50 / p99 µs | {m('punch-open','p50_us'):.0f} / {m('punch-open','p99_us'):.0f} | {m('coturn-open','p50_us'):.0f} / {m('coturn-open','p99_us'):.0f} | |",
    ]
    for length in ("100", "1000"):
        p, c = f"punch-relay-{length}", f"coturn-relay-{length}"
        lines.append(f"| Relay {length} B: relayed datagrams/s | {m(p,'relayed_per_s'):,.0f} | {m(c,'relayed_per_s'):,.0f} | {ratio(m(p,'relayed_per_s'), m(c,'relayed_per_s')):.2f}x |")
        lines.append(f"| Relay {length} B: Mbit/s (payload) | {m(p,'mbit_per_s'):,.1f} | {m(c,'mbit_per_s'):,.1f} | {ratio(m(p,'mbit_per_s'), m(c,'mbit_per_s')):.2f}x |")
        lines.append(f"| Relay {length} B: loss % / p99 µs | {m(p,'loss_pct'):.3f} / {m(p,'p99_us'):.0f} | {m(c,'loss_pct'):.3f} / {m(c,'p99_us'):.0f} | |")
    c = lambda name: cpu_per_datagram(rows, name)
    lines.append(f"| Binding closed loop: server CPU µs per response | {c('punch-closed'):.2f} | {c('coturn-closed'):.2f} | {ratio(c('coturn-closed'), c('punch-closed')):.2f}x responses per CPU second |")
    for length in ("100", "1000"):
        p, q = f"punch-relay-{length}", f"coturn-relay-{length}"
        lines.append(f"| Relay {length} B: server CPU µs per relayed datagram | {c(p):.2f} | {c(q):.2f} | {ratio(c(q), c(p)):.2f}x datagrams per CPU second |")
    echo = m("echo-closed", "per_s")
    lines += [
        "",
        f"C recvmmsg/sendmmsg echo, same generator: {echo:,.0f} responses/s ({c('echo-closed'):.2f} µs CPU each); Punch's Binding is "
        f"{ratio(m('punch-closed','per_s'), echo) * 100:.0f} % of it in responses/s and {ratio(c('echo-closed'), c('punch-closed')) * 100:.0f} % in responses per CPU second.",
        "",
        "Responses/s depend on how much of the 2 cores the server got; CPU µs per datagram (the server process's user + system"
        " time over the measurement, from /proc) compare what each datagram costs, which holds even when other work shares the machine.",
        "",
        "## Rounds",
        "",
        "| round | load avg at start | Punch closed/s | coturn closed/s | ratio | C echo/s | Punch/echo | Punch open loss % (p50/p99 µs) | coturn open loss % (p50/p99 µs) | relay 100 B Punch/coturn datagrams/s | relay 1000 B Punch/coturn datagrams/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in rounds_of(rows):
        v = lambda name, key: value(rows, n, name, key) or 0.0
        load = next((r["load"] for r in rows if r["round"] == str(n)), "?")
        lines.append(
            f"| {n} | {load} | {v('punch-closed','per_s'):,.0f} | {v('coturn-closed','per_s'):,.0f} | {ratio(v('punch-closed','per_s'), v('coturn-closed','per_s')):.2f} | "
            f"{v('echo-closed','per_s'):,.0f} | {ratio(v('punch-closed','per_s'), v('echo-closed','per_s')) * 100:.0f} % | "
            f"{v('punch-open','loss_pct'):.3f} ({v('punch-open','p50_us'):.0f}/{v('punch-open','p99_us'):.0f}) | {v('coturn-open','loss_pct'):.3f} ({v('coturn-open','p50_us'):.0f}/{v('coturn-open','p99_us'):.0f}) | "
            f"{v('punch-relay-100','relayed_per_s'):,.0f} / {v('coturn-relay-100','relayed_per_s'):,.0f} | {v('punch-relay-1000','relayed_per_s'):,.0f} / {v('coturn-relay-1000','relayed_per_s'):,.0f} |")
    lines += [
        "",
        f"Load average is the machine's 1-minute figure when the round began ({machine.split(' x ')[0]} cores: above that, other work shared the CPU and every rate is low).",
        "Allocations per datagram are measured by `tests/Server.Tests/Rendezvous/PacketAllocationTests` (bytes the receive thread allocates per datagram).",
        "",
    ]
    loads = [float(r["load"]) for r in rows if "load" in r]
    cores = int(machine.split(" x ")[0])
    if loads and max(loads) > 2 * cores:
        lines[4:4] = [f"**The machine was busy**: load average {min(loads):.0f} to {max(loads):.0f} on {cores} cores during the run (other builds and tests). "
                      "Every server got a fraction of the CPU, the generator too (see the offered rate), so the rates are far below what the servers do "
                      "on an idle machine; the CPU µs per datagram are the fairer comparison.", ""]
    lines += ["## Raw results", "", "```"] + [" ".join(f"{k}={v}" for k, v in r.items()) for r in rows] + ["```", ""]
    open(out, "w").write("\n".join(lines))


if __name__ == "__main__":
    rows = load(sys.argv[2])
    if sys.argv[1] == "worst":
        print(worst(rows))
    else:
        report(rows, *sys.argv[3:])
