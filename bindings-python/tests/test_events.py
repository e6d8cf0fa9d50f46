"""The ``cashi`` logger: one record per attempt, call and webhook verification, from the
blocking and the asyncio client, and CASHI_LOG; never the key or the secret."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
from typing import Any

import pytest

import cashi
from cashi import _events
from conftest import Sandbox


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The records of the ``cashi`` logger, at DEBUG (``log.records``, ``log.clear()``)."""
    caplog.set_level(logging.DEBUG, logger="cashi")
    return caplog


def fields(record: logging.LogRecord) -> dict[str, Any]:
    event: dict[str, Any] = record.__dict__["cashi_event"]
    return event


def levels(records: list[logging.LogRecord]) -> list[str]:
    return [r.levelname for r in records]


def assert_no_secret(records: list[logging.LogRecord], *secrets: str) -> None:
    for record in records:
        shown = record.getMessage() + json.dumps(fields(record))
        for secret in secrets:
            assert secret not in shown, shown


def created(sandbox: Sandbox, order_id: str, **options: Any) -> cashi.Client:
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url, **options)
    client.create_order(15000, order_id=order_id)
    return client


def test_a_success_is_a_debug_attempt_and_an_info_call(
    sandbox: Sandbox, order_id: str, log: pytest.LogCaptureFixture
) -> None:
    client = created(sandbox, order_id)
    assert levels(log.records) == ["DEBUG", "INFO"]
    log.clear()
    client.check_status(order_id)
    assert levels(log.records) == ["DEBUG", "INFO"]
    attempt, call = fields(log.records[0]), fields(log.records[1])
    assert attempt["type"] == "attempt"
    assert attempt["method"] == "GET"
    assert attempt["path"] == f"/check-status/{order_id}"
    assert attempt["order_id"] == order_id
    assert attempt["attempt"] == 1
    assert attempt["http_status"] == 200
    assert attempt["error"] is None
    assert attempt["retry_in_ms"] is None
    assert attempt["elapsed_ms"] >= 0
    assert call["type"] == "call"
    assert call["attempts"] == 1
    assert (
        log.records[1]
        .getMessage()
        .startswith(f"GET /check-status/{order_id} order={order_id}: 200 in ")
    )
    assert log.records[0].name == "cashi"
    assert log.records[0].thread == threading.get_ident(), "logged on the calling thread"
    assert_no_secret(log.records, sandbox.api_key)


def test_a_retried_503_is_a_warning_that_says_it_will_retry(
    faults: Sandbox, order_id: str, log: pytest.LogCaptureFixture
) -> None:
    client = created(faults, order_id)
    log.clear()
    # The server echoes the key in its message: the records must not.
    faults.fault(
        kind="error", status=503, count=1, path="check-status", message="busy, key {api_key}"
    )
    client.check_status(order_id)
    assert levels(log.records) == ["WARNING", "DEBUG", "INFO"]
    failed, answered, call = (fields(r) for r in log.records)
    assert failed["http_status"] == 503
    assert failed["error"]["code"] == "server"
    assert failed["retry_in_ms"] > 0
    assert ", retrying in " in log.records[0].getMessage()
    assert answered["attempt"] == 2
    assert answered["http_status"] == 200
    assert call["attempts"] == 2
    assert_no_secret(log.records, faults.api_key)


def test_a_timeout_is_a_failed_attempt_and_a_failed_call(
    faults: Sandbox, order_id: str, log: pytest.LogCaptureFixture
) -> None:
    client = created(faults, order_id, timeout=0.3, max_retries=0)
    log.clear()
    faults.fault(kind="latency", latency_ms=1500, count=1, path="check-status")
    with pytest.raises(cashi.APITimeoutError):
        client.check_status(order_id)
    assert levels(log.records) == ["WARNING", "WARNING"]
    attempt, call = fields(log.records[0]), fields(log.records[1])
    assert attempt["http_status"] is None
    assert attempt["error"]["code"] == "timeout"
    assert attempt["retry_in_ms"] is None
    assert call["error"]["code"] == "timeout"
    assert ": no answer in " in log.records[1].getMessage()
    assert_no_secret(log.records, faults.api_key)


def test_async_calls_log_on_the_loop_before_they_return(
    faults: Sandbox, order_id: str, log: pytest.LogCaptureFixture
) -> None:
    created(faults, order_id)
    faults.fault(kind="error", status=503, count=1, path="check-status")

    async def main() -> list[str]:
        async with cashi.AsyncClient(faults.api_key, base_url=faults.base_url) as client:
            log.clear()
            await client.check_status(order_id)
            return levels(log.records)  # read as soon as the await returns

    loop_thread = threading.get_ident()  # asyncio.run runs the loop on this thread
    assert asyncio.run(main()) == ["WARNING", "DEBUG", "INFO"]
    assert {r.thread for r in log.records} == {loop_thread}, "never from a runtime thread"
    assert fields(log.records[2])["attempts"] == 2


def test_an_event_the_logger_does_not_want_never_reaches_python(
    sandbox: Sandbox, order_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    emitted: list[int] = []
    real_emit = _events._emit
    monkeypatch.setattr(_events, "_emit", lambda level, *rest: emitted.append(level))
    logger = logging.getLogger("cashi")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    client = created(sandbox, order_id)  # made while the level is the root's WARNING
    client.check_status(order_id)
    assert emitted == [], "a success under WARNING is dropped in the native module"
    # A level set after the client was made applies to its next call.
    logger.setLevel(logging.INFO)
    try:
        client.check_status(order_id)
        assert emitted == [logging.INFO]
        logger.setLevel(logging.DEBUG)
        client.check_status(order_id)
        assert emitted == [logging.INFO, logging.DEBUG, logging.INFO]
        logger.disabled = True
        client.check_status(order_id)
        assert len(emitted) == 3, "a disabled logger gets nothing"
    finally:
        logger.disabled = False
        logger.setLevel(logging.NOTSET)
        monkeypatch.setattr(_events, "_emit", real_emit)


def test_webhook_verifications_are_logged(sandbox: Sandbox, log: pytest.LogCaptureFixture) -> None:
    webhook = cashi.Webhook(sandbox.webhook_secret)
    body = cashi.testing.webhook_body("INV-EV-9", 15023)
    signature = cashi.testing.sign(sandbox.webhook_secret, body)
    webhook.verify(body, signature)
    with pytest.raises(cashi.SignatureVerificationError):
        webhook.verify(body, "0" * 64)
    with pytest.raises(cashi.SignatureVerificationError):
        webhook.verify_headers(body, {"content-type": "application/json"})
    assert levels(log.records) == ["INFO", "WARNING", "WARNING"]
    assert log.records[0].getMessage() == "webhook order=INV-EV-9 verified"
    assert fields(log.records[0]) == {
        "type": "webhook",
        "order_id": "INV-EV-9",
        "is_test": False,
        "error": None,
    }
    assert fields(log.records[1])["error"]["code"] == "signature_invalid"
    assert_no_secret(log.records, sandbox.webhook_secret)


def run_script(
    sandbox: Sandbox, order_id: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A script that reads an order's status once, after a retried 503."""
    script = (
        "import cashi, sys\n"
        "client = cashi.Client(sys.argv[1], base_url=sys.argv[2])\n"
        "client.check_status(sys.argv[3])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, sandbox.api_key, sandbox.base_url, order_id],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_cashi_log_prints_to_stderr_and_nothing_prints_without_it(
    faults: Sandbox, order_id: str
) -> None:
    created(faults, order_id)
    faults.fault(kind="error", status=503, count=1, path="check-status")
    quiet = run_script(faults, order_id, {"CASHI_LOG": ""})
    assert quiet.stderr == "", "no logging configured: the SDK prints nothing, warnings included"

    faults.fault(kind="error", status=503, count=1, path="check-status")
    debug = run_script(faults, order_id, {"CASHI_LOG": "debug"})
    lines = debug.stderr.splitlines()
    assert len(lines) == 3, debug.stderr
    assert " cashi WARNING GET /check-status/" in lines[0]
    assert " cashi DEBUG GET /check-status/" in lines[1]
    assert f" cashi INFO GET /check-status/{order_id} order={order_id}: 200 in " in lines[2]
    assert faults.api_key not in debug.stderr

    info = run_script(faults, order_id, {"CASHI_LOG": "INFO"})
    assert [line.split(" cashi ")[1].split(" ")[0] for line in info.stderr.splitlines()] == ["INFO"]

    bad = run_script(faults, order_id, {"CASHI_LOG": "verbose"})
    assert "CASHI_LOG: 'verbose' is not one of debug, info" in bad.stderr
