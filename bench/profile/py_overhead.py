"""Where a Python SDK call's time goes (bench/FINDINGS.md): the package's calls against the
native module's under them (which build the result objects themselves).
    BENCH_BASE_URL=http://127.0.0.1:PORT/api bench/.work/venv/bin/python bench/profile/py_overhead.py
"""

import hashlib
import hmac
import json
import os
import time

import cashi
from cashi import _events

BASE = os.environ.get("BENCH_BASE_URL", "http://127.0.0.1:8080/api")
KEY = os.environ.get("BENCH_API_KEY", "CASHI-SANDBOX01")
SECONDS = float(os.environ.get("BENCH_SECONDS", "1"))


def median_us(fn):
    try:
        for _ in range(200):
            fn()
    except Exception as e:
        return f"failed: {e!r}"
    t = []
    until = time.perf_counter() + SECONDS
    while time.perf_counter() < until:
        s = time.perf_counter_ns()
        fn()
        t.append(time.perf_counter_ns() - s)
    t.sort()
    return round(t[len(t) // 2] / 1000, 2)


c = cashi.Client(KEY, base_url=BASE)
secret = "sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b"
body = (
    b'{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED",'
    b'"amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05",'
    b'"transaction_id":"31277571482"}}'
)
sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
w = cashi.Webhook(secret)


def own():
    if not hmac.compare_digest(hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(), sig):
        raise ValueError
    return json.loads(body)


out = {
    "package Client.check_status": median_us(lambda: c.check_status("INV-1")),
    "native _cashi.Client.check_status": median_us(lambda: c._client.check_status("INV-1")),
    "cashi._events.refresh() (the cashi logger's level, passed on before each call)": median_us(
        _events.refresh
    ),
    "package Webhook.verify": median_us(lambda: w.verify(body, sig)),
    "native _cashi.Webhook.verify": median_us(lambda: w._native.verify(body, sig)),
    "hmac + compare_digest + json.loads": median_us(own),
    "json.loads alone": median_us(lambda: json.loads(body)),
}
print(json.dumps(out, indent=1))
