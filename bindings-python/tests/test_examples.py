"""The examples, run for real: the sandbox delivers signed webhooks to the example servers."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import cashi
from conftest import EXAMPLES, Sandbox, free_port


def _load(name: str) -> ModuleType:
    """Imports an example by path (the examples folder never goes on sys.path)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture
def shop_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("CASHI_API_KEY", sandbox.api_key)
    monkeypatch.setenv("CASHI_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("CASHI_WEBHOOK_SECRET", sandbox.webhook_secret)
    return sandbox


@pytest.fixture
def flask_shop(shop_env: Sandbox) -> Iterator[tuple[str, Any]]:
    from werkzeug.serving import make_server

    app = _load("flask_webhook").create_app()
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    shop_env.configure(webhook_url=f"{url}/webhooks/cashi")
    try:
        yield url, app.config
    finally:
        shop_env.configure(webhook_url=None)
        server.shutdown()
        thread.join()


@pytest.fixture
def fastapi_shop(shop_env: Sandbox) -> Iterator[tuple[str, Any]]:
    import uvicorn

    api = _load("fastapi_webhook").create_app()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    assert server.started
    url = f"http://127.0.0.1:{port}"
    shop_env.configure(webhook_url=f"{url}/webhooks/cashi")
    try:
        state = api.state.shop
        yield (
            url,
            {
                "ORDERS": state.orders,
                "FULFILLED": state.fulfilled,
                "REVIEW": state.review,
                "SHIPMENTS": state.shipments,
            },
        )
    finally:
        shop_env.configure(webhook_url=None)
        server.should_exit = True
        thread.join()


def _shop_flow(url: str, state: dict[str, Any], sandbox: Sandbox) -> None:
    # 1. The shop creates an order and stores the amount to pay.
    status, body = _post(
        f"{url}/orders", b'{"amount": 15000}', {"content-type": "application/json"}
    )
    assert status == 201, body
    created = json.loads(body)
    order_id = created["order_id"]
    assert state["ORDERS"][order_id] == created["amount"] > 15000
    assert order_id not in state["FULFILLED"]

    # 2. The customer pays; the sandbox delivers the signed webhook; the shop confirms, fulfils.
    sandbox.pay(order_id)
    delivery = sandbox.wait_delivered(order_id)
    assert delivery["attempts"][0]["http_status"] == 200, delivery
    assert delivery["state"] == "delivered"
    assert order_id in state["FULFILLED"]
    assert state["SHIPMENTS"].count(order_id) == 1

    # 3. The dashboard's Test Webhook: answered 200, nothing fulfilled.
    before = set(state["FULFILLED"])
    test = sandbox.test_webhook()["delivery"]
    assert test["order_id"].startswith("TEST-")
    assert test["attempts"][0]["http_status"] == 200, test
    assert set(state["FULFILLED"]) == before

    # 4. A payment of another amount: acknowledged, never fulfilled, flagged.
    status, body = _post(
        f"{url}/orders", b'{"amount": 20000}', {"content-type": "application/json"}
    )
    other = json.loads(body)
    sandbox.pay(other["order_id"], amount=other["amount"] - 5)
    delivery = sandbox.wait_delivered(other["order_id"])
    assert delivery["attempts"][0]["http_status"] == 200
    assert other["order_id"] not in state["FULFILLED"]
    assert other["order_id"] in state["REVIEW"]

    # 5. A forged webhook (wrong secret) and a re-encoded body are refused with 400.
    forged = cashi.testing.webhook_body(order_id, created["amount"])
    headers = cashi.testing.signed_headers("sk_not_the_secret", forged)
    assert _post(f"{url}/webhooks/cashi", forged.encode(), headers)[0] == 400
    genuine = delivery["body"]
    reencoded = json.dumps(json.loads(genuine), indent=2).encode()
    headers = cashi.testing.signed_headers(sandbox.webhook_secret, genuine)
    assert _post(f"{url}/webhooks/cashi", reencoded, headers)[0] == 400
    assert _post(f"{url}/webhooks/cashi", genuine.encode(), {})[0] == 400  # no signature

    # 6. The sandbox delivers the same settlement again (a lost 200, a retry, a replay of a
    #    captured webhook): acknowledged with 200, and the order is fulfilled once.
    first = sandbox.deliveries(order_id)[0]
    again = sandbox.control("POST", f"webhooks/{first['id']}/redeliver", {})["delivery"]
    last = again["attempts"][-1]
    assert last["redelivery"] is True
    assert last["http_status"] == 200 and "already" in last["response_body"], last
    assert len(sandbox.deliveries(order_id)[0]["attempts"]) == 2
    assert state["SHIPMENTS"].count(order_id) == 1

    # 7. Invalid input to the shop's own endpoint is a 400 from InvalidRequestError.
    status, _ = _post(f"{url}/orders", b'{"amount": 100}', {"content-type": "application/json"})
    assert status == 400


def test_flask_example(flask_shop: tuple[str, Any], sandbox: Sandbox) -> None:
    url, state = flask_shop
    _shop_flow(url, state, sandbox)


def test_fastapi_example(fastapi_shop: tuple[str, Any], sandbox: Sandbox) -> None:
    url, state = fastapi_shop
    _shop_flow(url, state, sandbox)


def test_flask_example_with_test_client(shop_env: Sandbox) -> None:
    """The way a merchant tests their own handler: Flask's test client and cashi.testing."""
    app = _load("flask_webhook").create_app()
    body = cashi.testing.webhook_body("TEST-123", 15023)
    response = app.test_client().post(
        "/webhooks/cashi",
        data=body,
        headers=cashi.testing.signed_headers(shop_env.webhook_secret, body),
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "test received"


def test_bot_example(shop_env: Sandbox, tmp_path: Path) -> None:
    qr = tmp_path / "qr.png"
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "bot.py"), "15000", "--qr", str(qr), "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("order BOT-"), first
    order_id = first.split()[1].rstrip(":")
    assert qr.read_bytes().startswith(b"\x89PNG")
    shop_env.pay(order_id)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (out, err)
    assert "paid: Rp 15,0" in out


def test_bot_example_when_the_order_expires(shop_env: Sandbox, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "bot.py"), "15000", "--qr", str(tmp_path / "q.png")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    order_id = process.stdout.readline().split()[1].rstrip(":")
    shop_env.expire(order_id)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "order expired" in out
