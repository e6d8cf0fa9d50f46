#!/usr/bin/env python3
"""The Cashi Python SDK against the HTTP clients Python merchants use today.

Sync: ``cashi.Client`` vs ``requests.Session`` and ``httpx.Client`` (64 threads for the
concurrent figure). Async: ``cashi.AsyncClient`` vs ``aiohttp`` and ``httpx.AsyncClient``
(64 tasks). The concurrent figure also has the SDK's batch form (``check_statuses`` /
``create_orders``, ``BATCH_ITEMS`` items a call, at most 64 in flight inside the SDK).
Every client sends the same requests (method, URL, ``x-api-key``, ``accept``, JSON body)
and reads the JSON answer. Prints one JSON record per line (bench/README.md).

    python bench.py                 # every figure; settings from BENCH_* variables
    python bench.py cold CLIENT     # one cold start (what the cold figure spawns)
    python bench.py mem CLIENT      # RSS after BENCH_MEM_CALLS calls (what mem spawns)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time

T_START = time.perf_counter()  # before any HTTP library is imported (cold start)

LANG = "python"
BASE_URL = os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:8080/api")
API_KEY = os.environ.get("BENCH_API_KEY", "CASHI-SANDBOX01")
TARGET = os.environ.get("BENCH_TARGET", "static")
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONC = int(os.environ.get("BENCH_CONC", "64"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "10"))
MEM_CALLS = int(os.environ.get("BENCH_MEM_CALLS", "10000"))
FIGURES = os.environ.get("BENCH_FIGURES", "seq,conc,webhook,cold,mem").split(",")
SECRET = os.environ.get("BENCH_WEBHOOK_SECRET", "sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b")
# Seconds of calls before a client's first slice (0.05 s before its later ones); 0: none.
WARMUP = float(os.environ.get("BENCH_WARMUP", "0.3"))

HEADERS = {"x-api-key": API_KEY, "accept": "application/json"}
SYNC_CLIENTS = ["sdk", "requests", "httpx"]
# Figure 1's event row: the SDK with the `cashi` logger at DEBUG, every event a LogRecord
# handled by a NullHandler (during its slices only: in every other row nobody listens, and
# the native module drops the events without the GIL).
SEQ_ONLY = ["sdk_logged"]
ASYNC_CLIENTS = ["sdk_async", "aiohttp", "httpx_async"]
#: Items of one batch call: 4 x 64, as PHP's batch figure, so that while the answers of a
#: batch become Python objects the next batch is not what 64 requests wait for.
BATCH_ITEMS = 4 * CONC

_counter = iter(range(10**12))  # next() on a range iterator is atomic under the GIL


def next_order() -> tuple[int, str]:
    """A fresh order: unique id, amounts 100 apart so the sandbox never runs out of codes."""
    n = next(_counter)
    return 10_000 + 100 * (n % 90_000), f"B-py-{os.getpid()}-{n}"


def record(**fields: object) -> None:
    print(json.dumps({"lang": LANG, **fields}), flush=True)


# ---------------------------------------------------------------------------------------
# Clients: each returns (create() -> order id, status(order id) -> None), same requests.


@contextlib.contextmanager
def logging_on(name: str):
    """The `cashi` logger at DEBUG, not propagating, while `name` is `sdk_logged`."""
    logger = logging.getLogger("cashi")
    if name != "sdk_logged":
        yield
        return
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


def sync_client(name: str):
    if name in ("sdk", "sdk_logged"):
        import cashi

        c = cashi.Client(API_KEY, base_url=BASE_URL)

        def create() -> str:
            amount, oid = next_order()
            return c.create_order(amount, order_id=oid).order_id

        def status(oid: str) -> None:
            c.check_status(oid)

        return create, status

    if name == "requests":
        import requests
        from requests.adapters import HTTPAdapter

        s = requests.Session()
        # Enough pooled connections for 64 threads (the default keeps 10).
        s.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=CONC))
        s.headers.update(HEADERS)

        def create() -> str:
            amount, oid = next_order()
            r = s.post(f"{BASE_URL}/create-order", json={"amount": amount, "order_id": oid})
            r.raise_for_status()
            return r.json()["orderId"]

        def status(oid: str) -> None:
            r = s.get(f"{BASE_URL}/check-status/{oid}")
            r.raise_for_status()
            r.json()["status"]

        return create, status

    if name == "httpx":
        import httpx

        c = httpx.Client(
            headers=HEADERS,
            limits=httpx.Limits(max_connections=CONC, max_keepalive_connections=CONC),
        )

        def create() -> str:
            amount, oid = next_order()
            r = c.post(f"{BASE_URL}/create-order", json={"amount": amount, "order_id": oid})
            r.raise_for_status()
            return r.json()["orderId"]

        def status(oid: str) -> None:
            r = c.get(f"{BASE_URL}/check-status/{oid}")
            r.raise_for_status()
            r.json()["status"]

        return create, status

    raise SystemExit(f"unknown sync client {name}")


async def async_client(name: str):
    """Built inside the running loop (aiohttp and httpx bind their pools to it)."""
    if name == "sdk_async":
        import cashi

        c = cashi.AsyncClient(API_KEY, base_url=BASE_URL)

        async def create() -> str:
            amount, oid = next_order()
            return (await c.create_order(amount, order_id=oid)).order_id

        async def status(oid: str) -> None:
            await c.check_status(oid)

        return create, status, None

    if name == "aiohttp":
        import aiohttp

        s = aiohttp.ClientSession(headers=HEADERS, connector=aiohttp.TCPConnector(limit=CONC))

        async def create() -> str:
            amount, oid = next_order()
            async with s.post(
                f"{BASE_URL}/create-order", json={"amount": amount, "order_id": oid}
            ) as r:
                r.raise_for_status()
                return (await r.json())["orderId"]

        async def status(oid: str) -> None:
            async with s.get(f"{BASE_URL}/check-status/{oid}") as r:
                r.raise_for_status()
                (await r.json())["status"]

        return create, status, s.close

    if name == "httpx_async":
        import httpx

        c = httpx.AsyncClient(
            headers=HEADERS,
            limits=httpx.Limits(max_connections=CONC, max_keepalive_connections=CONC),
        )

        async def create() -> str:
            amount, oid = next_order()
            r = await c.post(f"{BASE_URL}/create-order", json={"amount": amount, "order_id": oid})
            r.raise_for_status()
            return r.json()["orderId"]

        async def status(oid: str) -> None:
            r = await c.get(f"{BASE_URL}/check-status/{oid}")
            r.raise_for_status()
            r.json()["status"]

        return create, status, c.aclose

    raise SystemExit(f"unknown async client {name}")


# ---------------------------------------------------------------------------------------
# Measurements


def pct(sorted_ns: list[int], p: float) -> float:
    if not sorted_ns:
        return 0.0
    return sorted_ns[round(p / 100 * (len(sorted_ns) - 1))] / 1000


def report(
    figure: str, client: str, op: str, lat: list[int], errors: list, elapsed: float, slices: list
) -> None:
    lat.sort()
    if errors:
        print(
            f"python {figure} {client} {op}: {len(errors)} errors, first: {errors[0]!r}",
            file=sys.stderr,
        )
    record(
        target=TARGET,
        figure=figure,
        client=client,
        op=op,
        n=len(lat),
        errors=len(errors),
        rate=len(lat) / elapsed,
        p50_us=pct(lat, 50),
        p99_us=pct(lat, 99),
        slice_rates=[rate for rate, _ in slices],
        slice_p50_us=[p50 for _, p50 in slices],
    )


def loop_sync(fn, arg, until: float, lat: list[int], errors: list) -> None:
    clock = time.perf_counter_ns
    deadline = int(until * 1e9)
    while True:
        t = clock()
        if t >= deadline and (lat or errors):  # a slice has at least one call
            return
        try:
            fn(*arg)
        except Exception as e:
            errors.append(e)
            continue
        lat.append(clock() - t)


def measure_sync(figure: str, fns, op: str, status_id: str, warm: float, seconds: float):
    """One slice: a warm-up, then `seconds` of calls; returns (latencies, errors, elapsed)."""
    import threading

    create, status = fns
    fn, arg = (create, ()) if op == "create" else (status, (status_id,))

    def run(seconds: float) -> tuple[list[int], list, float]:
        lat: list[int] = []
        errors: list = []
        if figure == "seq":
            start = time.perf_counter()
            loop_sync(fn, arg, start + seconds, lat, errors)
            return lat, errors, time.perf_counter() - start
        # 64 threads sharing the client; list.append is atomic under the GIL.
        barrier = threading.Barrier(CONC + 1)
        until = [0.0]

        def worker() -> None:
            barrier.wait()
            loop_sync(fn, arg, until[0], lat, errors)

        threads = [threading.Thread(target=worker) for _ in range(CONC)]
        for t in threads:
            t.start()
        start = time.perf_counter()
        until[0] = start + seconds
        barrier.wait()
        for t in threads:
            t.join()
        return lat, errors, time.perf_counter() - start

    if warm > 0:
        run(warm)
    return run(seconds)


def measure_batch(op: str, status_id: str, warm: float, seconds: float):
    """One slice of the SDK's batch form: ``BATCH_ITEMS`` items a call, one call at a time;
    every item counts as a call, with its batch's time as its latency (the batch answers
    whole). Returns (latencies, errors, elapsed)."""
    import cashi

    client = cashi.Client(API_KEY, base_url=BASE_URL)

    def batch() -> list:
        if op == "create":
            orders = (next_order() for _ in range(BATCH_ITEMS))
            return client.create_orders([{"amount": a, "order_id": oid} for a, oid in orders])
        return client.check_statuses([status_id] * BATCH_ITEMS)

    def run(seconds: float) -> tuple[list[int], list, float]:
        lat: list[int] = []
        errors: list = []
        clock = time.perf_counter_ns
        start = time.perf_counter()
        deadline = int((start + seconds) * 1e9)
        while True:
            t = clock()
            if t >= deadline and (lat or errors):
                break
            try:
                results = batch()
            except Exception as e:
                errors.append(e)
                continue
            took = clock() - t
            for result in results:
                if isinstance(result, Exception):
                    errors.append(result)
                else:
                    lat.append(took)
        return lat, errors, time.perf_counter() - start

    if warm > 0:
        run(warm)
    return run(seconds)


async def loop_async(fn, arg, until: float, lat: list[int], errors: list) -> None:
    clock = time.perf_counter_ns
    deadline = int(until * 1e9)
    while True:
        t = clock()
        if t >= deadline and (lat or errors):  # a slice has at least one call
            return
        try:
            await fn(*arg)
        except Exception as e:
            errors.append(e)
            continue
        lat.append(clock() - t)


async def measure_async(
    figure: str, name: str, op: str, status_id: str, warm: float, seconds: float
):
    """One slice of an async client, built on this loop; returns (latencies, errors, elapsed)."""
    import asyncio

    create, status, close = await async_client(name)
    fn, arg = (create, ()) if op == "create" else (status, (status_id,))
    tasks = 1 if figure == "seq" else CONC

    async def run(seconds: float) -> tuple[list[int], list, float]:
        lat: list[int] = []
        errors: list = []
        start = time.perf_counter()
        await asyncio.gather(
            *(loop_async(fn, arg, start + seconds, lat, errors) for _ in range(tasks))
        )
        return lat, errors, time.perf_counter() - start

    if warm > 0:
        await run(warm)
    result = await run(seconds)
    if close is not None:
        await close()
    return result


BODY = (
    b'{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED",'
    b'"amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05",'
    b'"transaction_id":"31277571482"}}'
)


def webhook() -> None:
    import hashlib
    import hmac

    import cashi

    key = SECRET.encode()
    sig = hmac.new(key, BODY, hashlib.sha256).hexdigest()
    w = cashi.Webhook(SECRET)

    def sdk() -> object:
        return w.verify(BODY, sig)

    def native() -> object:
        expected = hmac.new(key, BODY, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, sig):
            raise ValueError("bad signature")
        return json.loads(BODY)

    assert sdk().amount == native()["data"]["amount"] == 15023
    # Round-robin, as the other figures: ROUNDS slices each, in turn.
    clients = {"sdk": sdk, "native": native}
    calls = dict.fromkeys(clients, 0)
    spent = dict.fromkeys(clients, 0.0)
    slice_rates: dict[str, list[float]] = {client: [] for client in clients}
    slice_ = min(SECONDS, 1.5) / ROUNDS
    for _ in range(ROUNDS):
        for client, fn in clients.items():
            start = time.perf_counter()
            until = start + slice_
            n = 0
            while time.perf_counter() < until:
                for _ in range(1000):
                    fn()
                n += 1000
            secs = time.perf_counter() - start
            calls[client] += n
            spent[client] += secs
            slice_rates[client].append(n / secs)
    for client in clients:
        n, secs = calls[client], spent[client]
        record(
            target="none",
            figure="webhook",
            client=client,
            op="verify",
            n=n,
            errors=0,
            rate=n / secs,
            p50_us=secs * 1e6 / n,
            slice_rates=slice_rates[client],
        )


# ---------------------------------------------------------------------------------------
# Cold start and memory: fresh processes


def first_call(name: str) -> None:
    """Load the library, build the client, make one create-order call."""
    if name in ASYNC_CLIENTS:
        import asyncio

        async def go() -> None:
            create, _, close = await async_client(name)
            await create()
            if close is not None:
                await close()

        asyncio.run(go())
    else:
        sync_client(name)[0]()


def rss_kb() -> tuple[int, int]:
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                fields[line.split(":")[0]] = int(line.split()[1])
    return fields["VmRSS"], fields["VmHWM"]


def mem_child(name: str) -> None:
    errors = 0
    before = rss_kb()[0]
    if name in ASYNC_CLIENTS:
        import asyncio

        async def go() -> int:
            create, _, close = await async_client(name)
            bad = 0
            for _ in range(MEM_CALLS):
                try:
                    await create()
                except Exception:
                    bad += 1
            if close is not None:
                await close()
            return bad

        errors = asyncio.run(go())
    else:
        create, _ = sync_client(name)
        for _ in range(MEM_CALLS):
            try:
                create()
            except Exception:
                errors += 1
    rss, hwm = rss_kb()
    print(json.dumps({"rss_kb": rss, "hwm_kb": hwm, "rss_before_kb": before, "errors": errors}))


def child(mode: str, name: str) -> dict:
    import subprocess

    out = subprocess.run([sys.executable, __file__, mode, name], capture_output=True, text=True)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"python {mode} {name} failed: {out.stderr[-500:]}", file=sys.stderr)
        return {}


def cold() -> None:
    # The clients take turns, run after run, so a change in load hits them all alike.
    names = ("sdk", "requests", "httpx", "sdk_async", "aiohttp")
    wall: dict = {n: [] for n in names}
    inproc: dict = {n: [] for n in names}
    for _ in range(COLD_RUNS):
        for name in names:
            t = time.perf_counter()
            r = child("cold", name)
            wall[name].append((time.perf_counter() - t) * 1e3)
            inproc[name].append(r.get("in_process_ms", float("nan")))
    for name in names:
        w, i = sorted(wall[name]), sorted(inproc[name])
        record(
            target=TARGET,
            figure="cold",
            client=name,
            op="first_call",
            n=COLD_RUNS,
            wall_ms=w[len(w) // 2],
            in_process_ms=i[len(i) // 2],
        )


def mem() -> None:
    for name in ("sdk", "requests", "httpx", "sdk_async", "aiohttp"):
        r = child("mem", name)
        record(
            target=TARGET,
            figure="mem",
            client=name,
            op="create",
            n=MEM_CALLS,
            errors=r.get("errors"),
            rss_kb=r.get("rss_kb"),
            hwm_kb=r.get("hwm_kb"),
            rss_before_kb=r.get("rss_before_kb"),
        )


def add_slice(acc: dict, name: str, result) -> None:
    """Adds one round-robin slice's (latencies, errors, elapsed) to a client's totals, and
    keeps the slice's own calls/s and p50: the report shows how far they move."""
    lat, errors, elapsed, slices = acc[name]
    lat.extend(result[0])
    errors.extend(result[1])
    slices.append((len(result[0]) / result[2], pct(sorted(result[0]), 50)))
    acc[name] = (lat, errors, elapsed + result[2], slices)


async def async_round(
    acc: dict, figure: str, op: str, status_id: str, warm: float, seconds: float
) -> None:
    """One slice of every async client, in turn, on one event loop."""
    for name in ASYNC_CLIENTS:
        add_slice(acc, name, await measure_async(figure, name, op, status_id, warm, seconds))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "cold":
        first_call(sys.argv[2])
        print(json.dumps({"in_process_ms": (time.perf_counter() - T_START) * 1e3}))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "mem":
        mem_child(sys.argv[2])
        return
    import asyncio

    sync = {name: sync_client(name) for name in SYNC_CLIENTS + SEQ_ONLY}
    status_id = sync["sdk"][0]()  # the order every check-status reads: a real one on the sandbox
    # Round-robin: every client of a figure runs ROUNDS slices of SECONDS / ROUNDS in turn,
    # so a change in the machine's load hits all of them alike.
    slice_ = SECONDS / ROUNDS
    for figure in ("seq", "conc"):
        if figure not in FIGURES:
            continue
        names = SYNC_CLIENTS + (SEQ_ONLY if figure == "seq" else [])
        for op in ("create", "status"):
            batch = ["sdk_batch"] if figure == "conc" else []
            acc: dict = {name: ([], [], 0.0, []) for name in names + ASYNC_CLIENTS + batch}
            for r in range(ROUNDS):
                warm = WARMUP if r == 0 else min(WARMUP, 0.05)
                for name in names:
                    with logging_on(name):
                        result = measure_sync(figure, sync[name], op, status_id, warm, slice_)
                    add_slice(acc, name, result)
                asyncio.run(async_round(acc, figure, op, status_id, warm, slice_))
                if figure == "conc":
                    add_slice(acc, "sdk_batch", measure_batch(op, status_id, warm, slice_))
            for name, (lat, errors, elapsed, slices) in acc.items():
                report(figure, name, op, lat, errors, elapsed, slices)
    if "webhook" in FIGURES:
        webhook()
    if "cold" in FIGURES:
        cold()
    if "mem" in FIGURES:
        mem()


if __name__ == "__main__":
    main()
