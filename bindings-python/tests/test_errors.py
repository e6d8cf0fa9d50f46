"""Every exception class with its code: argument checks, API answers, sandbox faults."""

from __future__ import annotations

import asyncio
import json
import pickle
import time
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import cashi
from conftest import API_KEY, VECTORS, Sandbox, free_port

#: The class of each code, and its parent's code: the table all SDKs share.
ERROR_CLASSES: dict[str, dict[str, Any]] = json.loads((VECTORS / "error_classes.json").read_text())[
    "codes"
]
ALL_CLASSES: dict[str, type[cashi.CashiError]] = {
    code: getattr(cashi, names["python"]) for code, names in ERROR_CLASSES.items()
}


def test_every_core_code_has_its_class() -> None:
    from cashi import _cashi

    assert set(_cashi.error_codes()) == set(ALL_CLASSES)
    for code, cls in ALL_CLASSES.items():
        assert cls.default_code == code
        assert issubclass(cls, cashi.CashiError)


def test_hierarchy() -> None:
    assert issubclass(cashi.InvalidRequestError, ValueError)
    for code, cls in ALL_CLASSES.items():
        parent = ERROR_CLASSES[code]["parent"]
        ancestors = {c for c in ALL_CLASSES.values() if c is not cls and issubclass(cls, c)}
        assert ancestors == ({ALL_CLASSES[parent]} if parent else set()), cls


def _check(error: cashi.CashiError, code: str, status: int | None = None) -> None:
    assert type(error) is ALL_CLASSES[code], repr(error)
    assert error.code == code
    assert error.status == status
    assert error.message
    assert str(error).startswith(code)
    # Every error survives pickling (multiprocessing, Celery) with its fields.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.code, copy.message, copy.status) == (error.code, error.message, error.status)
    assert str(copy) == str(error)
    assert API_KEY not in str(error) and API_KEY not in repr(error)


def _no_retries(sandbox: Sandbox, **kw: Any) -> cashi.Client:
    return cashi.Client(sandbox.api_key, base_url=sandbox.base_url, max_retries=0, **kw)


# --- invalid_argument, before anything is sent --------------------------------------

BAD_AMOUNTS = [
    (True, "bool"),
    (False, "bool"),
    ("15000", "str"),
    (b"15000", "bytes"),
    (None, "None"),
    (15000.5, "whole"),
    (float("nan"), "NaN"),
    (float("inf"), "Infinity"),
    (float("-inf"), "-Infinity"),
    (Decimal("15000.5"), "whole"),
    (Decimal("NaN"), "Decimal"),
    (Decimal("Infinity"), "Decimal"),
    (Fraction(3, 2), "whole"),
    (2**70, "too large"),
    (-(2**70), "too large"),
    (2**63, "too large"),
    (0, "positive"),
    (-15000, "positive"),
    (1999, "limits"),
    (10_000_001, "limits"),
    ([15000], "list"),
    (object(), "object"),
]


@pytest.mark.parametrize(("amount", "hint"), BAD_AMOUNTS)
def test_bad_amounts(client: cashi.Client, amount: Any, hint: str) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_order(amount)
    _check(info.value, "invalid_argument")
    assert info.value.message.startswith("amount:"), info.value.message
    assert hint in info.value.message


@pytest.mark.parametrize(
    ("amount", "channel"),
    [(9_999, "BCA"), (50_000_001, "BSI"), (14_999, "ALFAMART"), (2_500_001, "INDOMARET")],
)
def test_channel_limits(client: cashi.Client, amount: int, channel: str) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_order(amount, channel=channel)
    assert info.value.message.startswith("amount:")
    assert channel in info.value.message


@pytest.mark.parametrize("amount", [True, "15023", 15023.5, None, 0])
def test_bad_expected_amounts(client: cashi.Client, amount: Any) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.confirm("INV-1", amount)
    _check(info.value, "invalid_argument")
    assert info.value.message.startswith("expected_amount:")


@pytest.mark.parametrize(
    ("order_id", "hint"),
    [("", "empty"), ("x" * 101, "100"), ("a\nb", "U+000A"), (123, "int"), (b"INV", "bytes")],
)
def test_bad_order_ids(client: cashi.Client, order_id: Any, hint: str) -> None:
    for call in (
        lambda: client.create_order(15000, order_id=order_id),
        lambda: client.check_status(order_id),
        lambda: client.wait_for_payment(order_id, timeout=1),
        lambda: client.confirm(order_id, 15000),
    ):
        with pytest.raises(cashi.InvalidRequestError) as info:
            call()
        _check(info.value, "invalid_argument")
        assert info.value.message.startswith("order_id:"), info.value.message
        assert hint in info.value.message


@pytest.mark.parametrize(
    ("base_url", "hint"),
    [
        ("http://cashi.id/api", "clear text"),
        ("http://10.0.0.1/api", "clear text"),
        ("ftp://cashi.id/api", "scheme"),
        ("not a url", "valid URL"),
        ("https://user:pw@cashi.id/api", "credentials"),
        (42, "str"),
    ],
)
def test_bad_base_urls(base_url: Any, hint: str) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        cashi.Client(API_KEY, base_url=base_url)
    _check(info.value, "invalid_argument")
    assert info.value.message.startswith("base_url:")
    assert hint in info.value.message
    assert "pw" not in info.value.message


@pytest.mark.parametrize(
    "api_key", ["", "CASHI SECRETKEY", "CASHI-SECRET\n", b"CASHI-SECRETKEY01", 12345]
)
def test_bad_api_keys(api_key: Any) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        cashi.Client(api_key, base_url="http://127.0.0.1:1/api")
    _check(info.value, "invalid_argument")
    assert info.value.message.startswith("api_key:")
    assert "SECRET" not in str(info.value) and "12345" not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": "30"}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"connect_timeout": 0.0}, "connect_timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 11}, "max_retries"),
        ({"max_retries": 2**80}, "max_retries"),
        ({"max_retries": "2"}, "max_retries"),
        ({"max_retries": 1.0}, "max_retries"),
    ],
)
def test_bad_settings(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        cashi.Client(API_KEY, base_url="http://127.0.0.1:1/api", **kwargs)
    assert info.value.message.startswith(f"{field}:"), info.value.message


@pytest.mark.parametrize("timeout", [0, -5, float("nan"), "10", None])
def test_bad_wait_timeouts(client: cashi.Client, timeout: Any) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.wait_for_payment("INV-1", timeout=timeout)
    assert info.value.message.startswith("timeout:")


def test_bad_webhook_secrets() -> None:
    for secret in ("", [], ["sk_ok", ""]):
        with pytest.raises(cashi.InvalidRequestError) as info:
            cashi.Webhook(secret)
        _check(info.value, "invalid_argument")
        assert info.value.message.startswith("webhook_secret:")


# --- what the API answers ------------------------------------------------------------


def test_authentication(sandbox: Sandbox) -> None:
    wrong = "CASHI-WRONGKEY999"
    c = cashi.Client(wrong, base_url=sandbox.base_url)
    for call in (lambda: c.create_order(15000), lambda: c.check_status("INV-1")):
        with pytest.raises(cashi.AuthenticationError) as info:
            call()
        _check(info.value, "authentication", 401)
        assert wrong not in str(info.value)


def test_not_found(client: cashi.Client) -> None:
    with pytest.raises(cashi.NotFoundError) as info:
        client.check_status("PY-does-not-exist")
    _check(info.value, "not_found", 404)


def test_not_found_ends_wait_and_confirm(client: cashi.Client) -> None:
    with pytest.raises(cashi.NotFoundError):
        client.wait_for_payment("PY-does-not-exist", timeout=30)
    with pytest.raises(cashi.NotFoundError):
        client.confirm("PY-does-not-exist", 15023)


def test_conflict(client: cashi.Client, order_id: str) -> None:
    client.create_order(15000, order_id=order_id)
    with pytest.raises(cashi.ConflictError) as info:
        client.create_order(15000, order_id=order_id)
    _check(info.value, "conflict", 409)


def test_rate_limited(faults: Sandbox) -> None:
    faults.fault(kind="rate_limit", count=1, path="check-status", retry_after=1)
    with pytest.raises(cashi.RateLimitError) as info:
        _no_retries(faults).check_status("INV-1")
    _check(info.value, "rate_limited", 429)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_with_html_pages(faults: Sandbox, status: int) -> None:
    faults.fault(kind="error", count=1, path="check-status", status=status)
    with pytest.raises(cashi.ServerError) as info:
        _no_retries(faults).check_status("INV-1")
    _check(info.value, "server", status)


def test_retries_ride_out_a_transient_failure(faults: Sandbox, order_id: str) -> None:
    c = cashi.Client(faults.api_key, base_url=faults.base_url, max_retries=1)
    c.create_order(15000, order_id=order_id)
    faults.fault(kind="error", count=1, path="check-status", status=502)
    assert c.check_status(order_id).status == "PENDING"
    assert faults.control("GET", "faults")["faults"] == []


def test_api_error_on_success_false(faults: Sandbox, order_id: str) -> None:
    faults.fault(kind="patch", count=1, path="create-order", set={"success": False, "message": "x"})
    with pytest.raises(cashi.APIError) as info:
        _no_retries(faults).create_order(15000, order_id=order_id)
    _check(info.value, "api", 200)
    assert "x" in info.value.message


def test_api_key_echoed_by_server_is_redacted(
    faults: Sandbox, client: cashi.Client, order_id: str
) -> None:
    client.create_order(15000, order_id=order_id)
    faults.fault(
        kind="patch",
        count=1,
        path="check-status",
        set={"success": False, "message": f"key {API_KEY} is suspended"},
    )
    with pytest.raises(cashi.APIError) as info:
        _no_retries(faults).check_status(order_id)
    _check(info.value, "api", 200)
    assert "[REDACTED]" in info.value.message


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "patch", "remove": ["status"]},
        {"kind": "patch", "set": {"amount": "lots"}},
        {"kind": "truncate"},
    ],
)
def test_decode(
    faults: Sandbox, client: cashi.Client, order_id: str, fault: dict[str, Any]
) -> None:
    client.create_order(15000, order_id=order_id)
    faults.fault(count=1, path="check-status", **fault)
    with pytest.raises(cashi.DecodeError) as info:
        _no_retries(faults).check_status(order_id)
    # The core sets the HTTP status on decode errors of the transport layer, not on those
    # of the models (reported to the lead); either way it is never an error status.
    _check(info.value, "decode", info.value.status)
    assert info.value.status in (None, 200)


def test_decode_on_create_order_without_amount(faults: Sandbox, order_id: str) -> None:
    faults.fault(kind="patch", count=1, path="create-order", remove=["amount"])
    with pytest.raises(cashi.DecodeError) as info:
        _no_retries(faults).create_order(15000, order_id=order_id)
    assert "amount" in info.value.message


def test_connection_refused() -> None:
    c = cashi.Client(API_KEY, base_url=f"http://127.0.0.1:{free_port()}/api", max_retries=0)
    with pytest.raises(cashi.APIConnectionError) as info:
        c.check_status("INV-1")
    _check(info.value, "connection")


def test_connection_dropped(faults: Sandbox) -> None:
    faults.fault(kind="drop", count=1, path="check-status")
    with pytest.raises(cashi.APIConnectionError) as info:
        _no_retries(faults).check_status("INV-1")
    _check(info.value, "connection")


def test_a_connection_the_server_closed_while_idle_is_not_reused(
    sandbox: Sandbox, order_id: str
) -> None:
    # Servers close keep-alive connections left idle. A create-order is not retried once it
    # may have been sent, so it must not be written to the closed connection.
    client = _no_retries(sandbox)
    for i in range(3):
        order = client.create_order(15000 + 100 * i, order_id=f"{order_id}-{i}")
        assert order.amount > 15000 + 100 * i
        sandbox.control("POST", "close-idle-connections")
        time.sleep(0.01)  # the next call comes later, as after a keep-alive timeout


def test_a_connection_the_server_closed_while_idle_is_not_reused_async(
    sandbox: Sandbox, order_id: str
) -> None:
    async def main() -> None:
        client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
        for i in range(3):
            order = await client.create_order(15000 + 100 * i, order_id=f"{order_id}-{i}")
            assert order.amount > 15000 + 100 * i
            sandbox.control("POST", "close-idle-connections")
            await asyncio.sleep(0.01)

    asyncio.run(main())


def test_timeout(faults: Sandbox, order_id: str) -> None:
    faults.fault(kind="latency", count=1, path="create-order", latency_ms=3000)
    with pytest.raises(cashi.APITimeoutError) as info:
        _no_retries(faults, timeout=0.3).create_order(15000, order_id=order_id)
    _check(info.value, "timeout")
    assert "may or may not" in info.value.message


def test_signature_invalid() -> None:
    with pytest.raises(cashi.SignatureVerificationError) as info:
        cashi.Webhook("sk_a").verify(b"{}", "0" * 64)
    _check(info.value, "signature_invalid")


def test_webhook_payload() -> None:
    body = b'{"event":"PAYMENT_SETTLED"}'
    with pytest.raises(cashi.WebhookPayloadError) as info:
        cashi.Webhook("sk_a").verify(body, cashi.testing.sign("sk_a", body))
    _check(info.value, "webhook_payload")
    assert "data" in info.value.message


def test_payment_mismatch_pickles_with_details(
    client: cashi.Client, sandbox: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order_id, order.amount)
    _check(info.value, "payment_mismatch")
    copy = pickle.loads(pickle.dumps(info.value))
    assert isinstance(copy, cashi.PaymentMismatchError)
    assert (copy.order_id, copy.expected_amount, copy.actual_amount, copy.payment_status) == (
        order_id,
        order.amount,
        order.amount,
        "PENDING",
    )
    assert "expected_amount" in repr(copy)


def test_every_class_pickles() -> None:
    for code, cls in ALL_CLASSES.items():
        if cls is cashi.PaymentMismatchError:
            error: cashi.CashiError = cls(
                "m", order_id="A", expected_amount=2, actual_amount=None, payment_status="EXPIRED"
            )
        else:
            error = cls("message", 418)
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is cls
        assert copy.code == code
        assert copy.__dict__ == error.__dict__
        assert repr(copy) == repr(error)


def test_user_constructed_errors() -> None:
    base = cashi.CashiError("server", "boom", 503)
    assert (base.code, base.message, base.status) == ("server", "boom", 503)
    assert str(base) == "server (HTTP 503): boom"
    e = cashi.NotFoundError("no order X", 404)
    assert (e.code, e.status) == ("not_found", 404)
    assert pickle.loads(pickle.dumps(e)).message == "no order X"
    with pytest.raises(ValueError):
        raise cashi.InvalidRequestError("amount: bad")
