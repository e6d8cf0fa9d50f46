"""What the Python pages share: settings from the environment, the order to create, the
answer's check, and the page's own answer.

Each page makes one Cashi create-order per request (none for the client ``none``, which
measures the page's own cost) and answers with two headers the load generator reads:
``x-call-us``, the call's duration inside the worker (µs), and ``x-pid``, the worker.
"""

from __future__ import annotations

import itertools
import os
import sys

BASE_URL = os.environ["REALBENCH_BASE_URL"]
API_KEY = os.environ["REALBENCH_API_KEY"]
CLIENT = os.environ["REALBENCH_CLIENT"]
HEADERS = {"x-api-key": API_KEY, "accept": "application/json"}
CREATE_URL = f"{BASE_URL}/create-order"
BODY = b'{"ok":true}'

_seq = itertools.count()


def next_order() -> tuple[int, str]:
    """A fresh order: an id unique to this process and call, an amount that varies."""
    n = next(_seq)
    return 10_000 + 100 * (n % 90_000), f"RB-py-{os.getpid()}-{n}"


def order_id(answer: dict) -> str:
    """The created order's id, or an error when Cashi did not answer success."""
    if answer.get("success") is not True:
        raise RuntimeError(f"create-order: not a success: {str(answer)[:200]}")
    return answer.get("orderId") or answer["order_id"]


def headers(call_us: int) -> list[tuple[str, str]]:
    return [
        ("content-type", "application/json"),
        ("content-length", str(len(BODY))),
        ("x-call-us", str(call_us)),
        ("x-pid", str(os.getpid())),
    ]


def failure(e: BaseException) -> bytes:
    """A failed call's 500 body, also written to the server's log: the error's type and
    message (never the key)."""
    text = f"{type(e).__name__}: {e}".replace(API_KEY, "<key>")[:1000]
    print(f"page {os.getpid()}: {text}", file=sys.stderr, flush=True)
    return text.encode()
