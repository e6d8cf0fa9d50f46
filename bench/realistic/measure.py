#!/usr/bin/env python3
"""The measurements of bench/realistic: each merchant page under load, one after another.

run.sh starts the "Cashi" upstream (nginx over TLS) and one delaying proxy per round-trip
time and TLS configuration, then runs this with the settings below in the environment.
For each (RTT, TLS) link, each stack (PHP-FPM, gunicorn, uvicorn, Express) and each of its
clients, this starts the stack afresh (new workers, so each worker's first call is seen),
runs wrk against the page at each number of users, and records per step: wrk's figures,
every call's duration inside the worker (x-call-us) by worker, the CPU time the stack's
processes used (/proc/<pid>/stat), the upstream's access-log lines of the step
(connections, handshakes, resumptions, TLS versions) and the proxy's lateness; then stops
the stack. Each stack also runs once with the client ``none`` (the page without a call):
the page's own latency and CPU, which the report subtracts. One JSON record per step goes
to ``$RB_RESULTS/records.jsonl``. Everything started here is stopped on the way out, also
on SIGTERM (run.sh's trap sends it).

Settings (environment, all set by run.sh): RB_RESULTS, RB_WORK, RB_TRUST (system roots +
the benchmark's CA: PHP's curl.cainfo), RB_CA (the CA alone: the SDK's CASHI_CA_BUNDLE and
Node's NODE_EXTRA_CA_CERTS), RB_VENV, RB_NODE_PROJECT, RB_PHP_FPM,
RB_PHP_AUTOLOAD and RB_PHP_INI (PHP's FFI and preload settings, when the SDK is
installed), RB_ACCESS_LOG, RB_LINKS ("tls:rtt_ms:port:stats_file" ...), RB_USERS,
RB_SECONDS, RB_WORKERS, RB_CLIENTS ("stack:client" ..., or "all"), RB_API_KEY.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The clients of each stack, in the order they run; "none" (no call) runs once per stack.
STACKS = {
    "php-fpm": ["sdk", "curl", "curl_share"],
    "gunicorn": ["sdk", "requests_post", "requests_session", "httpx"],
    "uvicorn": ["sdk_async", "httpx_async"],
    "express": ["sdk", "fetch", "axios"],
}

CLK_TCK = os.sysconf("SC_CLK_TCK")


def env(name: str) -> str:
    v = os.environ.get(name)
    if not v:
        raise SystemExit(f"measure.py: {name} is not set (run.sh sets it)")
    return v


class Stopped(Exception):
    """SIGTERM or SIGINT: stop what runs and leave."""


def on_signal(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------
# Processes


def children_map() -> dict[int, list[int]]:
    """Every process's children, from /proc (one pass)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(roots: list[int]) -> list[int]:
    kids = children_map()
    out, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def machine_ticks() -> tuple[int, int]:
    """The machine's (busy, total) CPU ticks so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (all their threads), in seconds."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLK_TCK


class Stack:
    """One stack serving the page with one client, started in its own process group."""

    def __init__(self, name: str, client: str, base_url: str, settings: dict):
        self.name, self.client, self.base_url, self.s = name, client, base_url, settings
        self.dir = Path(settings["work"]) / "stacks" / f"{name}-{client}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.procs: list[subprocess.Popen] = []
        self.roots: list[int] = []  # whose process trees are "the workers"

    def env(self) -> dict[str, str]:
        # A merchant's server environment: none of this machine's proxy settings, nor its
        # CA overrides (REQUESTS_CA_BUNDLE would win over a Session's verify, SSL_CERT_FILE
        # over the roots Python, PHP's curl and the SDK load by default).
        e = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("RB_", "REALBENCH_"))
            and k.lower() not in PROXY_VARS
            and not CA_VARS.search(k)
        }
        e.update(
            REALBENCH_BASE_URL=self.base_url,
            REALBENCH_API_KEY=self.s["api_key"],
            REALBENCH_CLIENT=self.client,
            REALBENCH_PORT=str(self.port),
            REALBENCH_NODE_PROJECT=self.s["node_project"],
            # The benchmark's CA, for the SDK (the core reads it) and Node (fetch, axios).
            CASHI_CA_BUNDLE=self.s["ca"],
            NODE_EXTRA_CA_CERTS=self.s["ca"],
            NO_PROXY="127.0.0.1,localhost",
        )
        if self.s["php_autoload"]:
            e["REALBENCH_PHP_AUTOLOAD"] = self.s["php_autoload"]
        return e

    def spawn(self, argv: list[str], log: str, root: bool = True) -> None:
        with open(self.dir / log, "ab") as out:
            p = subprocess.Popen(
                argv,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(p)
        if root:
            self.roots.append(p.pid)

    def start(self) -> None:
        workers = str(self.s["workers"])
        venv = Path(self.s["venv"])
        if self.name == "php-fpm":
            self.start_php_fpm()
        elif self.name == "gunicorn":
            self.spawn(
                [
                    str(venv / "bin/gunicorn"),
                    "--workers", workers, "--worker-class", "sync",
                    "--bind", f"127.0.0.1:{self.port}", "--backlog", "2048",
                    "--chdir", str(HERE / "python"), "--log-level", "warning",
                    "wsgi_app:app",
                ],
                "gunicorn.log",
            )  # fmt: skip
        elif self.name == "uvicorn":
            self.spawn(
                [
                    str(venv / "bin/uvicorn"), "asgi_app:app",
                    "--app-dir", str(HERE / "python"),
                    "--host", "127.0.0.1", "--port", str(self.port), "--backlog", "2048",
                    "--no-access-log", "--log-level", "warning", "--lifespan", "off",
                ],
                "uvicorn.log",
            )  # fmt: skip
        elif self.name == "express":
            self.spawn(["node", str(HERE / "node/server.mjs")], "express.log")
        else:
            raise SystemExit(f"unknown stack {self.name}")
        self.wait_ready()
        self.settle()

    def start_php_fpm(self) -> None:
        sock = self.dir / "fpm.sock"
        env = self.env()
        # Quoted: FPM's ini parser reads a bare `none` as an empty value.
        pool_env = "\n".join(
            f'env[{k}] = "{env[k]}"'
            for k in sorted(env)
            if k.startswith("REALBENCH_") or k in ("CASHI_CA_BUNDLE", "NO_PROXY")
        )
        (self.dir / "php-fpm.conf").write_text(
            f"""[global]
pid = {self.dir}/fpm.pid
error_log = {self.dir}/fpm.log
daemonize = no

[www]
listen = {sock}
listen.mode = 0666
pm = static
pm.max_children = {self.s["workers"]}
clear_env = yes
catch_workers_output = yes
{pool_env}
"""
        )
        argv = [self.s["php_fpm"], "--nodaemonize", "--fpm-config", str(self.dir / "php-fpm.conf")]
        argv += ["--prefix", str(self.dir)]
        if os.geteuid() == 0:
            argv.append("--allow-to-run-as-root")
        # curl's trust, as php.ini would set it: the system's roots and the benchmark's CA.
        for setting in [
            f"curl.cainfo={self.s['trust']}",
            f"openssl.cafile={self.s['trust']}",
            *self.s["php_ini"],
        ]:
            argv += ["-d", setting]
        self.spawn(argv, "fpm.out")
        # The front: nginx passing every request to the pool, as a merchant's site does.
        (self.dir / "tmp").mkdir(exist_ok=True)
        (self.dir / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{self.port} backlog=4096;
        location / {{
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME {HERE / "php/page.php"};
            fastcgi_pass unix:{sock};
        }}
    }}
}}
"""
        )
        self.spawn(
            ["nginx", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
            "nginx.out",
            root=False,
        )

    def wait_ready(self) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        url = f"http://127.0.0.1:{self.port}/ready"
        deadline = time.monotonic() + 60
        last = ""
        while time.monotonic() < deadline:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(
                        f"{self.name} ({self.client}) exited: {p.args}; see {self.dir}"
                    )
            try:
                with opener.open(url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError as e:
                last = str(e)
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.name} ({self.client}): no answer from {url} in 60 s ({last}); see {self.dir}"
        )

    def settle(self) -> None:
        """Waits until every worker is up and the stack is idle (< 20 ms of CPU in 0.3 s):
        workers still importing their modules would otherwise count in the first step."""
        expected = 1 + (self.s["workers"] if self.name in ("php-fpm", "gunicorn") else 0)
        deadline = time.monotonic() + 30
        last = cpu_seconds(self.pids())
        while time.monotonic() < deadline:
            time.sleep(0.3)
            pids = self.pids()
            now = cpu_seconds(pids)
            if len(pids) >= expected and now - last < 0.02:
                return
            last = now
        raise RuntimeError(
            f"{self.name} ({self.client}): still busy or short of workers after 30 s; see {self.dir}"
        )

    def pids(self) -> list[int]:
        return tree(self.roots)

    def stop(self) -> None:
        # gunicorn: SIGQUIT stops at once (SIGTERM waits for requests); the others end on
        # SIGTERM (nginx, php-fpm: fast shutdown; node, uvicorn: exit).
        sig = signal.SIGQUIT if self.name == "gunicorn" else signal.SIGTERM
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for p in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            # Whatever the group still holds (a worker that outlived its master).
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.procs = []


PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
CA_VARS = re.compile(r"CA_BUNDLE|CA_CERTS|CAINFO|SSL_CERT|SSL_ROOTS|CUSTOM_CA")


# ---------------------------------------------------------------------------------------
# What a step reads besides wrk


def log_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def upstream_lines(path: str, start: int, end: int, port: int | None) -> dict:
    """The upstream's access-log lines written during a step, summed up."""
    with open(path, "rb") as f:
        f.seek(start)
        text = f.read(end - start).decode(errors="replace")
    out = {
        "requests": 0,
        "new_connections": 0,
        "full_handshakes": 0,
        "resumed": 0,
        "connections": 0,
        "protocols": {},
        "statuses": {},
    }
    conns = set()
    for line in text.splitlines():
        f = line.split()
        if len(f) < 9 or (port is not None and f[0] != str(port)):
            continue
        _port, pid, conn, rank, proto, reused, _method, status, _msec = f[:9]
        out["requests"] += 1
        conns.add((pid, conn))
        out["statuses"][status] = out["statuses"].get(status, 0) + 1
        if rank == "1":
            out["new_connections"] += 1
            out["protocols"][proto] = out["protocols"].get(proto, 0) + 1
            if reused == "r":
                out["resumed"] += 1
            else:
                out["full_handshakes"] += 1
    out["connections"] = len(conns)
    return out


def proxy_stats(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def proxy_delta(before: dict | None, after: dict | None) -> dict | None:
    if not before or not after:
        return None
    hist = [a - b for a, b in zip(after["late_hist"], before["late_hist"])]
    chunks = after["chunks"] - before["chunks"]
    return {
        "connections": after["connections"] - before["connections"],
        "upstream_failures": after["upstream_failures"] - before["upstream_failures"],
        "chunks": chunks,
        "late_mean_us": (after["late_sum_us"] - before["late_sum_us"]) / chunks if chunks else 0.0,
        "late_bounds_us": after["late_bounds_us"],
        "late_hist": hist,
    }


def call_times(path: Path) -> tuple[list[int], dict[str, int]]:
    """Every call's duration (µs) but each worker's first, and each worker's first."""
    rest: list[int] = []
    firsts: dict[str, int] = {}
    for line in path.read_text().splitlines():
        _tid, pid, us = line.split()
        if pid not in firsts:
            firsts[pid] = int(us)
        else:
            rest.append(int(us))
    return rest, firsts


def percentile(values: list[int], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return float(v[min(len(v) - 1, round(p / 100 * (len(v) - 1)))])


# ---------------------------------------------------------------------------------------
# A step: wrk against the page at a number of users


def step(stack: Stack, link: dict | None, users: int, s: dict, first_step: bool) -> dict:
    results = Path(s["results"])
    where = f"{link['tls']}-{link['rtt']}" if link else "none"
    tag = f"{stack.name}-{stack.client}-{where}-{users}"
    calls_file = results / "calls" / f"{tag}.txt"
    calls_file.parent.mkdir(exist_ok=True)
    pids = stack.pids()
    cpu0, log0, m0 = cpu_seconds(pids), log_size(s["access_log"]), machine_ticks()
    px0 = proxy_stats(link["stats"] if link else None)
    threads = 1 if users <= 8 else 2
    argv = ["wrk", f"-t{threads}", f"-c{users}", f"-d{s['seconds']}s", "--timeout", "10s"]
    argv += ["-s", str(HERE / "page.lua"), f"http://127.0.0.1:{stack.port}/"]
    t0 = time.monotonic()
    run = subprocess.run(
        argv, env={**os.environ, "WRK_CALLS": str(calls_file)}, capture_output=True, text=True
    )
    wall = time.monotonic() - t0
    m1 = machine_ticks()
    # Requests wrk gave up on at the end still finish their call: let them reach the log.
    time.sleep(0.3 + (link["rtt"] * 4 / 1000 if link else 0))
    pids_after = stack.pids()
    cpu1, log1 = cpu_seconds(pids_after), log_size(s["access_log"])
    px1 = proxy_stats(link["stats"] if link else None)
    rec: dict = {
        "stack": stack.name,
        "client": stack.client,
        "tls": link["tls"] if link else None,
        "rtt_ms": link["rtt"] if link else None,
        "users": users,
        "first_step": first_step,
        "seconds": s["seconds"],
        "wall_s": round(wall, 3),
        "processes": len(pids_after),
        "cpu_s": round(cpu1 - cpu0, 3),
        # How busy the whole machine was during the step (everything on it, this run's
        # load generator, proxy and upstream included).
        "machine_busy": round((m1[0] - m0[0]) / max(1, m1[1] - m0[1]), 3),
    }
    try:
        rec["wrk"] = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        rec["wrk"] = None
        rec["error"] = f"wrk failed (exit {run.returncode}): {(run.stderr or run.stdout)[-500:]}"
        return rec
    rest, firsts = call_times(calls_file)
    rec["calls"] = {
        "n": len(rest),
        **{f"p{p}_us": percentile(rest, p) for p in (50, 90, 99)},
    }
    rec["firsts_us"] = sorted(firsts.values()) if first_step else []
    rec["workers_seen"] = len(firsts)
    if link:
        rec["upstream"] = upstream_lines(s["access_log"], log0, log1, link["upstream_port"])
        rec["proxy"] = proxy_delta(px0, px1)
    errors = rec["wrk"]["errors"]
    if any(errors.values()):
        rec["error"] = f"wrk counted errors: {errors} {run.stderr.strip()[-300:]}"
    elif not rec["wrk"]["n"]:
        # Calls that hang (retrying a connection that cannot be made) end no page in the step.
        rec["error"] = f"no page answered in {s['seconds']} s"
    return rec


def run_stack(name: str, client: str, link: dict | None, s: dict, out) -> bool:
    scheme = "http" if link and link["tls"] == "off" else "https"
    base = f"{scheme}://127.0.0.1:{link['port']}/api" if link else "https://127.0.0.1:9/api"
    stack = Stack(name, client, base, s)
    label = f"{name} {client}" + (f" (TLS {link['tls']}, RTT {link['rtt']} ms)" if link else "")
    t0 = time.monotonic()
    ok = True
    try:
        stack.start()
        for i, users in enumerate(s["users"]):
            rec = step(stack, link, users, s, first_step=(i == 0))
            out.write(json.dumps(rec) + "\n")
            out.flush()
            if "error" in rec:
                ok = False
                print(f"   ! {label}, {users} users: {rec['error']}", file=sys.stderr)
    except RuntimeError as e:
        ok = False
        out.write(json.dumps({"stack": name, "client": client, "tls": link and link["tls"],
                              "rtt_ms": link and link["rtt"], "error": str(e)}) + "\n")  # fmt: skip
        print(f"   ! {label}: {e}", file=sys.stderr)
    finally:
        stack.stop()
    print(f"   {label}: {time.monotonic() - t0:.0f} s", file=sys.stderr)
    return ok


def main() -> int:
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    links = []
    for spec in env("RB_LINKS").split():
        tls, rtt, port, upstream_port, stats = spec.split(":", 4)
        links.append(
            {
                "tls": tls,
                "rtt": int(rtt),
                "port": int(port),
                "upstream_port": int(upstream_port),
                "stats": stats,
            }
        )
    php_ini = os.environ.get("RB_PHP_INI", "")
    s = {
        "results": env("RB_RESULTS"),
        "work": env("RB_WORK"),
        "trust": env("RB_TRUST"),
        "ca": env("RB_CA"),
        "venv": env("RB_VENV"),
        "node_project": env("RB_NODE_PROJECT"),
        "php_fpm": env("RB_PHP_FPM"),
        "php_autoload": os.environ.get("RB_PHP_AUTOLOAD", ""),
        "php_ini": php_ini.split("\n") if php_ini else [],
        "access_log": env("RB_ACCESS_LOG"),
        "users": [int(u) for u in env("RB_USERS").split()],
        "seconds": int(env("RB_SECONDS")),
        "workers": int(env("RB_WORKERS")),
        "api_key": env("RB_API_KEY"),
    }
    wanted = env("RB_CLIENTS").split()
    unknown = [
        c
        for c in wanted
        if c != "all"
        and (c.split(":")[0] not in STACKS or c.split(":")[-1] not in STACKS[c.split(":")[0]])
    ]
    if unknown:
        known = " ".join(f"{st}:{c}" for st, cs in STACKS.items() for c in cs)
        raise SystemExit(f"RB_CLIENTS: unknown {' '.join(unknown)}; the clients are: {known}")
    plan = [
        (st, c) for st, cs in STACKS.items() for c in cs if "all" in wanted or f"{st}:{c}" in wanted
    ]
    stacks = list(dict.fromkeys(st for st, _ in plan))
    failed = []
    with open(Path(s["results"]) / "records.jsonl", "a") as out:
        try:
            # The page without a call, once per stack: no link involved.
            for st in stacks:
                if not run_stack(st, "none", None, s, out):
                    failed.append(f"{st} none")
            for link in links:
                print(f"==> TLS {link['tls']}, RTT {link['rtt']} ms", file=sys.stderr)
                for st, c in plan:
                    if not run_stack(st, c, link, s, out):
                        failed.append(f"{st} {c} (TLS {link['tls']}, RTT {link['rtt']} ms)")
        except Stopped as e:
            print(f"measure.py: stopped by {e}", file=sys.stderr)
            return 1
    for f in failed:
        print(f"failed: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
