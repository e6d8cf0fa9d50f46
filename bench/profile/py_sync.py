"""The Python SDK's sync client alone: 1, 4 and 64 threads, create-order and check-status
(to compare two wheels, run it with each venv, alternately; 4 against 64 threads shows
whether the thread count or the GIL hand-off is the ceiling).
    BENCH_BASE_URL=http://127.0.0.1:PORT/api python bench/profile/py_sync.py
"""

import os
import threading
import time

import cashi

BASE = os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:8080/api")
KEY = os.environ.get("BENCH_API_KEY", "CASHI-SANDBOX01")
SECONDS = float(os.environ.get("BENCH_SECONDS", "1.2"))
c = cashi.Client(KEY, base_url=BASE)
counter = iter(range(10**12))


def create():
    n = next(counter)
    c.create_order(10000 + 100 * (n % 90000), order_id=f"PY-{os.getpid()}-{n}")


def status():
    c.check_status("INV-1")


def run(fn, threads):
    lat = []
    until = time.perf_counter() + SECONDS

    def loop():
        while time.perf_counter() < until:
            t = time.perf_counter_ns()
            fn()
            lat.append(time.perf_counter_ns() - t)

    ts = [threading.Thread(target=loop) for _ in range(threads)]
    start = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    lat.sort()
    return len(lat) / (time.perf_counter() - start), lat[len(lat) // 2] / 1000


for fn in (create, status):
    run(fn, 1)
    for threads in (1, 4, 64):
        rate, p50 = run(fn, threads)
        print(f"{fn.__name__:7} {threads:2} thread(s) {rate:9.0f} calls/s  p50 {p50:8.1f} us")
