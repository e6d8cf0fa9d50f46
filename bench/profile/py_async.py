"""The Python SDK's AsyncClient against aiohttp, 1 and 64 tasks, create-order and
check-status (to compare two wheels, run it with each venv, alternately).
    BENCH_BASE_URL=http://127.0.0.1:PORT/api python bench/profile/py_async.py
"""

import asyncio
import os
import time

import aiohttp

import cashi

BASE = os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:8080/api")
KEY = os.environ.get("BENCH_API_KEY", "CASHI-SANDBOX01")
SECONDS = float(os.environ.get("BENCH_SECONDS", "1.2"))
counter = iter(range(10**12))


async def main():
    sdk = cashi.AsyncClient(KEY, base_url=BASE)
    session = aiohttp.ClientSession(
        headers={"x-api-key": KEY, "accept": "application/json"},
        connector=aiohttp.TCPConnector(limit=64),
    )

    def order():
        n = next(counter)
        return 10000 + 100 * (n % 90000), f"PA-{os.getpid()}-{n}"

    async def sdk_create():
        amount, oid = order()
        await sdk.create_order(amount, order_id=oid)

    async def sdk_status():
        await sdk.check_status("INV-1")

    async def aio_create():
        amount, oid = order()
        async with session.post(
            f"{BASE}/create-order", json={"amount": amount, "order_id": oid}
        ) as r:
            (await r.json())["orderId"]

    async def aio_status():
        async with session.get(f"{BASE}/check-status/INV-1") as r:
            (await r.json())["status"]

    async def run(fn, tasks, seconds):
        n = 0
        until = time.perf_counter() + seconds

        async def loop():
            nonlocal n
            while time.perf_counter() < until:
                await fn()
                n += 1

        start = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(tasks)))
        return n / (time.perf_counter() - start)

    for name, fn in (
        ("sdk create", sdk_create),
        ("aiohttp create", aio_create),
        ("sdk status", sdk_status),
        ("aiohttp status", aio_status),
    ):
        for tasks in (1, 64):
            await run(fn, tasks, 0.2)
            print(f"{name:15} {tasks:2} task(s) {await run(fn, tasks, SECONDS):9.0f} calls/s")
    await session.close()


asyncio.run(main())
