#!/usr/bin/env python3
"""Turns a bench/realistic run (records.jsonl, calibration.jsonl, meta.json in the run's
folder) into the "Real shape: HTTPS with latency" section of bench/RESULTS.md.

    report.py RUN_DIR OUT.md

The section sits between two markers; an OUT.md that has them gets its section replaced
and keeps the rest (bench/report.py, which writes the rest, keeps the section in turn);
one without them gets it inserted before "## Machine and settings", or appended; a new
OUT.md is the section alone. Exits 1, after writing, when a page request failed or a
measurement of the run's plan is missing. Asserts no time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

BEGIN = "<!-- realistic:begin: written by bench/realistic/run.sh, kept by bench/run.sh -->"
END = "<!-- realistic:end -->"

# Every stack's clients, the SDK first; the names the report prints.
STACKS = {
    "php-fpm": ["sdk", "curl", "curl_share"],
    "gunicorn": ["sdk", "requests_post", "requests_session", "httpx"],
    "uvicorn": ["sdk_async", "httpx_async"],
    "express": ["sdk", "fetch", "axios"],
}
STACK_NAMES = {
    "php-fpm": "PHP-FPM",
    "gunicorn": "gunicorn (sync)",
    "uvicorn": "uvicorn (async)",
    "express": "Express",
}
CLIENT_NAMES = {
    ("php-fpm", "sdk"): "**SDK** (`new Cashi\\Client` per request)",
    ("php-fpm", "curl"): "`curl_init` per request",
    ("php-fpm", "curl_share"): "curl + `CURLOPT_SHARE` (connections, TLS sessions)",
    ("gunicorn", "sdk"): "**SDK** (`cashi.Client`, module level)",
    ("gunicorn", "requests_post"): "`requests.post` per request",
    ("gunicorn", "requests_session"): "`requests.Session`, module level",
    ("gunicorn", "httpx"): "`httpx.Client`, module level",
    ("uvicorn", "sdk_async"): "**SDK** (`cashi.AsyncClient`, module level)",
    ("uvicorn", "httpx_async"): "`httpx.AsyncClient`, module level",
    ("express", "sdk"): "**SDK** (`new Cashi()`, one per process)",
    ("express", "fetch"): "`fetch` (built in)",
    ("express", "axios"): "`axios.post`",
}
GOAL_RTT = 1.1


def load(run: Path) -> tuple[list[dict], list[dict], dict]:
    def lines(name: str) -> list[dict]:
        path = run / name
        if not path.is_file():
            return []
        return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]

    meta_file = run / "meta.json"
    meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
    return lines("records.jsonl"), lines("calibration.jsonl"), meta


def table(head: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


class Run:
    def __init__(self, records: list[dict], meta: dict):
        s = meta.get("settings", {})
        self.links = [
            (t, int(r))
            for t in s.get("tls", "1.3 1.2").split()
            for r in s.get("rtts", "10 25").split()
        ]
        self.users = [int(u) for u in s.get("users", "8 64").split()]
        wanted = s.get("clients", "all").split()
        self.plan = [
            (st, c)
            for st, cs in STACKS.items()
            for c in cs
            if "all" in wanted or f"{st}:{c}" in wanted
        ]
        self.stacks = list(dict.fromkeys(st for st, _ in self.plan))
        self.by: dict[tuple, dict] = {}
        self.failed: list[str] = []
        for r in records:
            key = (r["stack"], r["client"], r.get("tls"), r.get("rtt_ms"), r.get("users"))
            if "error" in r:
                where = f"{r['stack']} {r['client']}"
                if r.get("tls"):
                    where += f" (TLS {r['tls']}, RTT {r['rtt_ms']} ms)"
                if r.get("users"):
                    where += f", {r['users']} users"
                self.failed.append(f"{where}: {r['error']}")
            if r.get("wrk"):
                self.by[key] = r

    def get(self, stack: str, client: str, link: tuple[str, int] | None, users: int) -> dict | None:
        tls, rtt = link if link else (None, None)
        return self.by.get((stack, client, tls, rtt, users))

    def missing(self) -> list[str]:
        out = []
        for st in self.stacks:
            for u in self.users:
                if not self.get(st, "none", None, u):
                    out.append(f"{st} none, {u} users")
        for link in self.links:
            for st, c in self.plan:
                for u in self.users:
                    if not self.get(st, c, link, u):
                        out.append(f"{st} {c} (TLS {link[0]}, RTT {link[1]} ms), {u} users")
        return out

    # Derived figures --------------------------------------------------------------

    def call_rtt(self, r: dict | None, rtt: int, p: int) -> float | None:
        """A call inside the worker, from its second on, in RTTs (percentile p)."""
        if not r or not r.get("calls") or r["calls"].get(f"p{p}_us") is None:
            return None
        return r["calls"][f"p{p}_us"] / (rtt * 1000)

    def added_rtt(self, r: dict | None, stack: str, users: int, rtt: int, p: int) -> float | None:
        """(page latency - page latency without a call) / RTT, at percentile p."""
        base = self.get(stack, "none", None, users)
        if not r or not base:
            return None
        return (r["wrk"][f"p{p}_us"] - base["wrk"][f"p{p}_us"]) / (rtt * 1000)

    def cpu_per_page_us(self, r: dict | None) -> float | None:
        if not r or not r["wrk"]["n"]:
            return None
        return r["cpu_s"] * 1e6 / r["wrk"]["n"]

    def cpu_per_call_us(self, r: dict | None, stack: str, users: int) -> float | None:
        page = self.cpu_per_page_us(r)
        base = self.cpu_per_page_us(self.get(stack, "none", None, users))
        return None if page is None or base is None else page - base


def firsts_rtt(r: dict | None, rtt: int) -> tuple[float, float] | None:
    """A worker's first call in RTTs: the median and the largest over the workers."""
    if not r or not r.get("firsts_us"):
        return None
    f = sorted(r["firsts_us"])
    return f[len(f) // 2] / (rtt * 1000), f[-1] / (rtt * 1000)


def handshakes(r: dict | None) -> str:
    """New connections per 1000 calls at the upstream, with how many resumed a session."""
    if not r or not r.get("upstream") or not r["upstream"]["requests"]:
        return "–"
    u = r["upstream"]
    per = 1000 / u["requests"]
    return f"{u['new_connections'] * per:.0f} ({u['resumed'] * per:.0f} resumed)"


def protocols(rs: list[dict | None]) -> str:
    seen: dict[str, int] = {}
    for r in rs:
        for p, n in ((r or {}).get("upstream") or {}).get("protocols", {}).items():
            seen[p] = seen.get(p, 0) + n
    return (
        ", ".join(f"{'plain HTTP' if p == '-' else p} ×{n}" for p, n in sorted(seen.items())) or "–"
    )


def proxy_late(rs: list[dict]) -> tuple[float | None, str]:
    """The proxy's mean lateness per chunk (µs) and the share of chunks over 1 ms late."""
    chunks = sum(r["proxy"]["chunks"] for r in rs if r.get("proxy"))
    if not chunks:
        return None, "–"
    total = sum(r["proxy"]["late_mean_us"] * r["proxy"]["chunks"] for r in rs if r.get("proxy"))
    bounds = next(r["proxy"]["late_bounds_us"] for r in rs if r.get("proxy"))
    over = sum(
        n
        for r in rs
        if r.get("proxy")
        for b, n in zip([*bounds, None], r["proxy"]["late_hist"])
        if b is None or b > 1000
    )
    return total / chunks, f"{100 * over / chunks:.1f} %"


def busy_note(records: list[dict]) -> str:
    """A warning when the machine's CPUs were mostly busy during the steps."""
    busy = sorted(r["machine_busy"] for r in records if "machine_busy" in r)
    if not busy or busy[len(busy) // 2] < 0.9:
        return ""
    return (
        f"**The machine's CPUs were {100 * busy[len(busy) // 2]:.0f} % busy during the median step "
        "(everything on the machine counted): every figure holds time spent waiting for a CPU, "
        "the 10 ms link's most.** "
    )


def section(run: Run, calibration: list[dict], meta: dict, records: list[dict]) -> str:
    md: list[str] = []
    w = md.append
    m = meta.get("machine", {})
    s = meta.get("settings", {})
    v = meta.get("versions", {})
    links = run.links
    w("## Real shape: HTTPS with latency\n")
    w(
        f"Written by `bench/realistic/run.sh` on {meta.get('date', '?')} (commit {meta.get('commit', '?')}), "
        f"on {m.get('cpu_model', '?')}, {m.get('nproc', '?')} logical CPUs, {m.get('memory', '?')}, "
        f"kernel {m.get('kernel', '?')}; load average when it started: {m.get('loadavg', '?')}. "
        + ("**A `--quick` run: its numbers mean nothing.** " if s.get("quick") else "")
        + busy_note(records)
        + "How it is measured: [bench/realistic/README.md](realistic/README.md); what it means: "
        "[FINDINGS.md](FINDINGS.md).\n"
    )
    w(
        'Each page request of the merchant\'s app makes **one** create-order call to a "Cashi" '
        "upstream (nginx over TLS, the fixed 6.6 KB answer of `bench/static/`, sessions resumable "
        "by ticket and cache), across a loopback link that a delaying proxy gives a round-trip time "
        f"(RTT) of {' and '.join(s.get('rtts', '?').split())} ms, the TCP handshake's included. "
        f"PHP-FPM (behind nginx) and gunicorn run {s.get('workers', '?')} workers; uvicorn and "
        "Express one process. Each stack is started afresh for each client, then `wrk` loads the "
        f"page with {' and '.join(s.get('users', '?').split())} concurrent users, "
        f"{s.get('seconds', '?')} s each. "
        "**Call** = the create-order call timed inside the worker, from each worker's second "
        "request on; **added** = the page's latency at the load generator minus the same page "
        "without the call; both in RTTs. CPU = user + system time of the stack's processes "
        "(`/proc/<pid>/stat`) per page, minus the page without the call. Handshakes are counted "
        "in the upstream's access log (`$connection_requests` = 1, `$ssl_session_reused`).\n"
    )
    w("|  |  |\n|---|---|")
    for k in ("nginx", "PHP", "Python", "Python packages", "Node.js", "npm packages", "wrk"):
        if k in v:
            w(f"| {k} | {v[k]} |")
    w("")

    # ---------------------------------------------------------------- the goal
    w("### The issue's goal: ≤ 1.1 RTT per call from a worker's second request on\n")
    w(
        "The SDK's calls, timed inside the worker (p50 against the goal). A worker's first call "
        "pays the TCP and TLS handshakes: 3 RTT with TLS 1.3, 4 with TLS 1.2. Handshakes "
        "are those of both steps at the upstream: a full one per worker's first connection, "
        "then the reconnections every 100 requests (the upstream's limit), resumed or not.\n"
    )
    head = ["SDK in", "link"]
    for u in run.users:
        head += [f"call p50 / p99, {u} users", f"goal, {u} users"]
    head += ["first call (median / slowest worker)", "TLS of the first step's new connections"]
    head += ["handshakes: full / resumed"]
    rows = []
    for st, c in run.plan:
        if not c.startswith("sdk"):
            continue
        for link in links:
            rtt = link[1]
            rs = [run.get(st, c, link, u) for u in run.users]
            cells = []
            for r in rs:
                p50 = run.call_rtt(r, rtt, 50)
                cells.append(f"{num(p50)} / {num(run.call_rtt(r, rtt, 99))}")
                cells.append("–" if p50 is None else ("met" if p50 <= GOAL_RTT else "**missed**"))
            first = firsts_rtt(rs[0], rtt)
            first_cell = f"{num(first[0])} / {num(first[1])} RTT" if first else "–"
            ups = [r["upstream"] for r in rs if r and r.get("upstream")]
            full = sum(u["full_handshakes"] for u in ups)
            resumed = sum(u["resumed"] for u in ups)
            rows.append(
                [
                    STACK_NAMES[st],
                    f"TLS {link[0]}, {rtt} ms",
                    *cells,
                    first_cell,
                    protocols(rs[:1]),
                    f"{full} / {resumed}" if ups else "–",
                ]
            )
    w(table(head, rows) + "\n" if rows else "(no SDK client in this run)\n")

    # ---------------------------------------------------------------- per link
    for link in links:
        tls, rtt = link
        w(f"### TLS {tls}, RTT {rtt} ms\n")
        head = ["stack", "client"]
        for u in run.users:
            head += [
                f"call p50 / p99 ({u} users)",
                f"added p50 / p99 ({u})",
                f"pages/s (machine busy) ({u})",
            ]
        head += ["CPU per call, µs", "first call", "new connections per 1000 calls"]
        rows = []
        for st, c in run.plan:
            row = [STACK_NAMES[st], CLIENT_NAMES[(st, c)]]
            rs = [run.get(st, c, link, u) for u in run.users]
            for u, r in zip(run.users, rs):
                row += [
                    f"{num(run.call_rtt(r, rtt, 50))} / {num(run.call_rtt(r, rtt, 99))}",
                    f"{num(run.added_rtt(r, st, u, rtt, 50))} / {num(run.added_rtt(r, st, u, rtt, 99))}",
                    (
                        f"{r['wrk']['rate']:.0f} ({100 * r.get('machine_busy', 0):.0f} %)"
                        if r
                        else "–"
                    ),
                ]
            cpu = [run.cpu_per_call_us(r, st, u) for u, r in zip(run.users, rs)]
            row.append(" / ".join(num(x, 0) for x in cpu))
            first = firsts_rtt(rs[0], rtt)
            row.append(f"{num(first[0])} RTT" if first else "–")
            row.append(" / ".join(handshakes(r) for r in rs))
            rows.append(row)
        w(table(head, rows) + "\n")

    # ---------------------------------------------------------------- baseline
    w("### The page without a call\n")
    head = ["stack", "processes"]
    for u in run.users:
        head += [f"latency p50 / p99, µs ({u} users)", f"pages/s ({u})", f"CPU per page, µs ({u})"]
    rows = []
    for st in run.stacks:
        rs = [run.get(st, "none", None, u) for u in run.users]
        row = [STACK_NAMES[st], str(rs[0]["processes"]) if rs[0] else "–"]
        for r in rs:
            row += [
                f"{num(r['wrk']['p50_us'], 0)} / {num(r['wrk']['p99_us'], 0)}" if r else "–",
                num(r["wrk"]["rate"], 0) if r else "–",
                num(run.cpu_per_page_us(r), 0),
            ]
        rows.append(row)
    w(table(head, rows) + "\n")

    # ---------------------------------------------------------------- the link
    w("### The link, checked with `curl -w`\n")
    w(
        "Each check is one `curl` making two requests on one connection (median of "
        f"{calibration[0]['runs'] if calibration else '?'} runs), in ms. The proxy adds the TCP "
        "handshake's round trip by holding the connection's first client bytes one RTT more, so "
        "`time_connect` stays at loopback speed and `time_appconnect` (TCP + TLS done) carries it: "
        "about 2 RTT with TLS 1.3, 3 with TLS 1.2; the second request shows one RTT and what the "
        "server and curl add to it.\n"
    )
    rows = [
        [
            c["link"],
            num(c["first"]["connect_ms"], 2),
            num(c["first"]["appconnect_ms"], 2),
            num(c["first"]["total_ms"], 2),
            num(c["again"]["total_ms"], 2),
            num((c["again"]["total_ms"] / c["rtt_ms"]) if c["rtt_ms"] else None, 3),
        ]
        for c in calibration
    ]
    w(
        table(
            [
                "link",
                "time_connect",
                "time_appconnect",
                "first time_total",
                "second time_total",
                "second / RTT",
            ],
            rows,
        )
        + "\n"
    )
    rows = []
    for link in links:
        rs = [
            r
            for r in records
            if r.get("tls") == link[0] and r.get("rtt_ms") == link[1] and r.get("proxy")
        ]
        mean, over = proxy_late(rs)
        rows.append([f"TLS {link[0]}, RTT {link[1]} ms", num(mean, 0), over])
    w(
        "While the pages ran, the proxy wrote each chunk this late after its due time (a "
        "proxy starved of CPU by the load adds its lateness to every RTT figure above):\n"
    )
    w(table(["link", "mean lateness per chunk, µs", "chunks over 1 ms late"], rows) + "\n")

    if run.failed:
        w("### Failures\n")
        w("\n".join(f"- {f}" for f in run.failed) + "\n")
    return "\n".join(md)


def splice(existing: str | None, body: str) -> str:
    block = f"{BEGIN}\n{body.rstrip()}\n{END}\n"
    if existing is None:
        return "# Cashi SDK benchmarks: results\n\n" + block
    if BEGIN in existing and END in existing:
        head, rest = existing.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        return head + block + ("\n" + after if after else "")
    anchor = "## Machine and settings"
    if anchor in existing:
        head, rest = existing.split(anchor, 1)
        return head + block + "\n" + anchor + rest
    return existing.rstrip("\n") + "\n\n" + block


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    run_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    records, calibration, meta = load(run_dir)
    run = Run(records, meta)
    text = splice(
        out.read_text() if out.is_file() else None, section(run, calibration, meta, records)
    )
    out.write_text(text)
    print(f"wrote {out}")
    problems = run.failed + [f"not measured: {m}" for m in run.missing()]
    if not calibration:
        problems.append("not measured: the link check (calibration.jsonl)")
    if problems:
        print("the run is incomplete:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
