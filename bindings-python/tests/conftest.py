"""Fixtures: a real cashi-sandbox on a free port, and helpers to drive it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cashi

API_KEY = "CASHI-PYTESTKEY01"
WEBHOOK_SECRET = "sk_0123456789abcdef0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VECTORS = ROOT / "tests" / "vectors"
#: A recognisable key (the sandbox accepts it too) and secret, the echoes of the key a
#: server may send, and what must never show (test_secrets.py).
SECRETS: dict[str, Any] = json.loads((VECTORS / "secrets.json").read_text())


class Sandbox:
    """A running cashi-sandbox and its control API (`/api/sandbox/...`)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.base_url = url + "/api"
        self.api_key = API_KEY
        self.webhook_secret = WEBHOOK_SECRET

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base_url}/sandbox/{path}",
            data=data,
            method=method,
            headers={"x-api-key": self.api_key, "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"sandbox {method} {path}: {e.code} {e.read()!r}") from None

    def pay(self, order_id: str, amount: int | None = None) -> Any:
        return self.control(
            "POST", f"orders/{order_id}/pay", {} if amount is None else {"amount": amount}
        )

    def expire(self, order_id: str) -> Any:
        return self.control("POST", f"orders/{order_id}/expire", {})

    def fault(self, **fault: Any) -> None:
        self.control("POST", "faults", fault)

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def configure(self, **settings: Any) -> None:
        self.control("POST", "config", settings)

    def test_webhook(self, url: str | None = None) -> Any:
        return self.control("POST", "test-webhook", {} if url is None else {"url": url})

    def deliveries(self, order_id: str) -> list[Any]:
        return list(self.control("GET", f"webhooks?order_id={order_id}")["deliveries"])

    def wait_delivered(self, order_id: str, attempts: int = 1, limit: float = 30.0) -> Any:
        """The delivery for `order_id` once it has at least `attempts` attempts."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            for d in self.deliveries(order_id):
                if len(d["attempts"]) >= attempts:
                    return d
            time.sleep(0.05)
        raise AssertionError(f"no webhook delivery for {order_id}: {self.deliveries(order_id)}")


def _sandbox_bin() -> str:
    path = os.environ.get("CASHI_SANDBOX_BIN")
    if not path:
        raise RuntimeError("set CASHI_SANDBOX_BIN to the cashi-sandbox binary (test.sh does)")
    return path


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    process = subprocess.Popen(
        [
            _sandbox_bin(),
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--api-key",
            SECRETS["api_key"],
            "--webhook-secret",
            WEBHOOK_SECRET,
            "--webhook-retry-schedule",
            "1,1,1",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    assert first.startswith("listening on http://"), first
    # Keep reading so the sandbox never blocks on a full pipe.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    try:
        yield Sandbox(first.removeprefix("listening on "))
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The sandbox, with every armed fault cleared afterwards."""
    sandbox.clear_faults()
    yield sandbox
    sandbox.clear_faults()


@pytest.fixture
def client(sandbox: Sandbox) -> cashi.Client:
    return cashi.Client(sandbox.api_key, base_url=sandbox.base_url)


@pytest.fixture
def order_id() -> str:
    return f"PY-{uuid.uuid4().hex[:16]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
