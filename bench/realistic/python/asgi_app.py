"""The merchant's page under uvicorn (asyncio): one Cashi create-order per request.

``REALBENCH_CLIENT`` picks how the call is made: ``sdk_async`` (``cashi.AsyncClient`` made
once at module level), ``httpx_async`` (a module-level ``httpx.AsyncClient``) or ``none``
(no call). ``GET /ready`` answers without a call. Trust: as in wsgi_app.py.
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

if CLIENT == "sdk_async":
    import cashi

    _cashi = cashi.AsyncClient(API_KEY, base_url=BASE_URL)

    async def call() -> str:
        amount, oid = next_order()
        return (await _cashi.create_order(amount, order_id=oid)).order_id

elif CLIENT == "httpx_async":
    import httpx

    _httpx = httpx.AsyncClient(headers=HEADERS, timeout=30)

    async def call() -> str:
        amount, oid = next_order()
        r = await _httpx.post(CREATE_URL, json={"amount": amount, "order_id": oid})
        r.raise_for_status()
        return order_id(r.json())

elif CLIENT == "none":
    call = None
else:
    raise SystemExit(f"REALBENCH_CLIENT: unknown client {CLIENT!r} for uvicorn")


def _raw(pairs: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in pairs]


async def app(scope, receive, send):
    if scope["type"] != "http":  # lifespan: nothing to set up
        return
    status, body, pairs = 200, BODY, headers(0)
    if scope["path"] != "/ready":
        t0 = time.perf_counter_ns()
        try:
            if call is not None:
                await call()
            pairs = headers((time.perf_counter_ns() - t0) // 1000)
        except Exception as e:
            body = failure(e)
            status, pairs = 500, [("content-length", str(len(body)))]
    await send({"type": "http.response.start", "status": status, "headers": _raw(pairs)})
    await send({"type": "http.response.body", "body": body})
