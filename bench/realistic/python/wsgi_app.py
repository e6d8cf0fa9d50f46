"""The merchant's page under gunicorn's sync workers: one Cashi create-order per request.

The clients are written as for cashi.id, with their default trust: run.sh adds the
benchmark's CA to the venv's certifi bundle (what requests and httpx load) and gives the SDK
``CASHI_CA_BUNDLE``.

``REALBENCH_CLIENT`` picks how the call is made, as merchants write it:

- ``sdk``: ``cashi.Client`` made once at module level (per worker);
- ``requests_post``: ``requests.post`` per request (a new connection each time);
- ``requests_session``: a module-level ``requests.Session``;
- ``httpx``: a module-level ``httpx.Client``;
- ``none``: no call, the page's own cost.

``GET /ready`` answers without a call (run.sh waits on it).
"""

from __future__ import annotations

import time

from common import (
    API_KEY,
    BASE_URL,
    BODY,
    CLIENT,
    CREATE_URL,
    HEADERS,
    failure,
    headers,
    next_order,
    order_id,
)

if CLIENT == "sdk":
    import cashi

    _cashi = cashi.Client(API_KEY, base_url=BASE_URL)

    def call() -> str:
        amount, oid = next_order()
        return _cashi.create_order(amount, order_id=oid).order_id

elif CLIENT == "requests_post":
    import requests

    def call() -> str:
        amount, oid = next_order()
        r = requests.post(
            CREATE_URL,
            json={"amount": amount, "order_id": oid},
            headers=HEADERS,
            timeout=30,
        )
        r.raise_for_status()
        return order_id(r.json())

elif CLIENT == "requests_session":
    import requests

    _session = requests.Session()
    _session.headers.update(HEADERS)

    def call() -> str:
        amount, oid = next_order()
        r = _session.post(CREATE_URL, json={"amount": amount, "order_id": oid}, timeout=30)
        r.raise_for_status()
        return order_id(r.json())

elif CLIENT == "httpx":
    import httpx

    _httpx = httpx.Client(headers=HEADERS, timeout=30)

    def call() -> str:
        amount, oid = next_order()
        r = _httpx.post(CREATE_URL, json={"amount": amount, "order_id": oid})
        r.raise_for_status()
        return order_id(r.json())

elif CLIENT == "none":
    call = None
else:
    raise SystemExit(f"REALBENCH_CLIENT: unknown client {CLIENT!r} for gunicorn")


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/ready":
        start_response("200 OK", headers(0))
        return [BODY]
    t0 = time.perf_counter_ns()
    try:
        if call is not None:
            call()
    except Exception as e:
        body = failure(e)
        start_response("500 Internal Server Error", [("content-length", str(len(body)))])
        return [body]
    start_response("200 OK", headers((time.perf_counter_ns() - t0) // 1000))
    return [BODY]
