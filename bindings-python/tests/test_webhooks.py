"""Webhook verification: the shared vectors, header containers, raw-body guidance."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

import cashi
from conftest import VECTORS, WEBHOOK_SECRET

BODY = (
    '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}'
)


def _cases(name: str) -> list[dict[str, Any]]:
    cases = json.loads((VECTORS / name).read_text())["cases"]
    assert len(cases) >= 10
    return list(cases)


def _body(case: dict[str, Any]) -> bytes:
    if "body" in case:
        return str(case["body"]).encode("utf-8")
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"])
    p = case["body_pattern"]
    return (p["prefix"] + p["repeat"] * p["times"] + p["suffix"]).encode("utf-8")


def _run(case: dict[str, Any]) -> None:
    webhook = cashi.Webhook(case["secrets"])
    body = _body(case)
    expect = case["expect"]
    if expect["ok"]:
        event = webhook.verify(body, case["signature"])
        assert isinstance(event, cashi.WebhookEvent)
        want = expect["event"]
        for field in ("event", "order_id", "status", "amount", "is_test", "is_settled"):
            assert getattr(event, field) == want[field], field
        for field in ("payment_method", "paid_at", "transaction_id"):
            assert getattr(event, field) == want.get(field), field
        assert event.raw == json.loads(body)
        if event.paid_at is not None:  # "YYYY-MM-DD HH:MM:SS", Jakarta time
            assert event.paid_at_time is not None
            assert event.paid_at_time.utcoffset() == timedelta(hours=7)
            assert event.paid_at_time.strftime("%Y-%m-%d %H:%M:%S") == event.paid_at
        else:
            assert event.paid_at_time is None
        # The same through verify_headers, with the header in another letter case.
        again = webhook.verify_headers(body, {"X-Gateway-Signature": case["signature"]})
        assert again == event
    else:
        with pytest.raises(cashi.CashiError) as info:
            webhook.verify(body, case["signature"])
        error = info.value
        assert error.code == expect["error"], error
        assert (
            type(error)
            is {
                "signature_invalid": cashi.SignatureVerificationError,
                "webhook_payload": cashi.WebhookPayloadError,
                "invalid_argument": cashi.InvalidRequestError,
            }[error.code]
        )
        if "field" in expect:
            assert expect["field"] in error.message, (expect["field"], error.message)
        for secret in case["secrets"]:
            assert secret not in str(error)


@pytest.mark.parametrize("case", _cases("webhook_signatures.json"), ids=lambda c: c["name"])
def test_signature_vectors(case: dict[str, Any]) -> None:
    _run(case)


@pytest.mark.parametrize("case", _cases("webhook_payloads.json"), ids=lambda c: c["name"])
def test_payload_vectors(case: dict[str, Any]) -> None:
    _run(case)


def test_body_as_str_bytes_bytearray_memoryview() -> None:
    webhook = cashi.Webhook(WEBHOOK_SECRET)
    sig = cashi.testing.sign(WEBHOOK_SECRET, BODY)
    raw = BODY.encode()
    for body in (BODY, raw, bytearray(raw), memoryview(raw)):
        assert webhook.verify(body, sig).amount == 15023
    assert webhook.verify(raw, sig.encode()).order_id == "INV-9921"


def test_parsed_body_is_a_type_error_that_explains() -> None:
    webhook = cashi.Webhook(WEBHOOK_SECRET)
    sig = cashi.testing.sign(WEBHOOK_SECRET, BODY)
    for parsed in (json.loads(BODY), [1, 2]):
        with pytest.raises(TypeError) as info:
            webhook.verify(parsed, sig)  # type: ignore[arg-type]
        message = str(info.value)
        assert "raw" in message
        assert "request.get_data()" in message  # Flask
        assert "request.body" in message  # Django
        assert "await request.body()" in message  # FastAPI
    with pytest.raises(TypeError):
        webhook.verify_headers(json.loads(BODY), {})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        webhook.verify(None, sig)  # type: ignore[arg-type]


def test_missing_signature_is_signature_invalid() -> None:
    webhook = cashi.Webhook(WEBHOOK_SECRET)
    with pytest.raises(cashi.SignatureVerificationError):
        webhook.verify(BODY, None)
    with pytest.raises(cashi.SignatureVerificationError) as info:
        webhook.verify_headers(BODY, {"content-type": "application/json"})
    assert "x-gateway-signature" in info.value.message


def test_re_encoded_json_does_not_verify() -> None:
    webhook = cashi.Webhook(WEBHOOK_SECRET)
    sig = cashi.testing.sign(WEBHOOK_SECRET, BODY)
    with pytest.raises(cashi.SignatureVerificationError) as info:
        webhook.verify(json.dumps(json.loads(BODY)), sig)
    assert "raw request body" in info.value.message


def test_header_containers() -> None:
    from starlette.datastructures import Headers as StarletteHeaders
    from werkzeug.datastructures import Headers as WerkzeugHeaders

    webhook = cashi.Webhook(WEBHOOK_SECRET)
    sig = cashi.testing.sign(WEBHOOK_SECRET, BODY)
    containers: list[Any] = [
        {"x-gateway-signature": sig},
        {"X-GATEWAY-SIGNATURE": sig, "Content-Type": "application/json"},
        [("Content-Type", "application/json"), ("X-Gateway-Signature", sig)],
        ((b"x-gateway-signature", sig.encode()),),  # raw ASGI scope headers
        WerkzeugHeaders([("X-Gateway-Signature", sig)]),
        StarletteHeaders(raw=[(b"x-gateway-signature", sig.encode())]),
        cashi.testing.signed_headers(WEBHOOK_SECRET, BODY),
    ]
    for headers in containers:
        assert webhook.verify_headers(BODY, headers).order_id == "INV-9921", headers
        assert cashi.Webhook.is_signed(headers), headers
    assert cashi.Webhook.is_signed({"HTTP_X_GATEWAY_SIGNATURE": "ab", "REQUEST_METHOD": "POST"})
    assert not cashi.Webhook.is_signed({"Content-Type": "application/json", "x-gateway": "ab"})
    for bad in (None, 42, "x-gateway-signature", [("only-one",)]):
        with pytest.raises(TypeError):
            webhook.verify_headers(BODY, bad)


def test_django_headers() -> None:
    """Django's request.headers is HttpHeaders, built from the WSGI environ (META)."""
    from django.http.request import HttpHeaders

    sig = cashi.testing.sign(WEBHOOK_SECRET, BODY)
    headers = HttpHeaders({"HTTP_X_GATEWAY_SIGNATURE": sig, "CONTENT_TYPE": "application/json"})
    assert cashi.Webhook(WEBHOOK_SECRET).verify_headers(BODY.encode(), headers).amount == 15023


def test_rotation_and_bytes_secrets() -> None:
    old, new = "sk_old", b"sk_new"
    webhook = cashi.Webhook([new, old])
    assert webhook.verify(BODY, cashi.testing.sign(old, BODY)).amount == 15023
    assert webhook.verify(BODY, cashi.testing.sign(new, BODY)).amount == 15023
    with pytest.raises(cashi.SignatureVerificationError):
        webhook.verify(BODY, cashi.testing.sign("sk_other", BODY))


def test_secrets_never_shown() -> None:
    webhook = cashi.Webhook([WEBHOOK_SECRET, "sk_second_secret"])
    assert WEBHOOK_SECRET not in repr(webhook)
    assert "sk_second_secret" not in repr(webhook)
    assert "2 secrets" in repr(webhook)
    with pytest.raises(cashi.SignatureVerificationError) as info:
        webhook.verify(BODY, "f" * 64)
    assert WEBHOOK_SECRET not in str(info.value) and WEBHOOK_SECRET not in repr(info.value)


def test_testing_helpers() -> None:
    body = cashi.testing.webhook_body("INV-7", 50078)
    assert json.loads(body) == {
        "event": "PAYMENT_SETTLED",
        "data": {"order_id": "INV-7", "status": "SETTLED", "amount": 50078},
    }
    assert " " not in body  # compact, as Cashi sends it
    sig = cashi.testing.sign(WEBHOOK_SECRET, body)
    assert len(sig) == 64 and sig == sig.lower()
    assert cashi.testing.sign(WEBHOOK_SECRET.encode(), body.encode()) == sig
    # The known answer from the shared vectors.
    assert cashi.testing.sign(WEBHOOK_SECRET, BODY) == (
        "ad50de7daeda7c4c7e915d914d1ccaf7353ad09b411c7c81a8431303fed245da"
    )
    event = cashi.Webhook(WEBHOOK_SECRET).verify(body, sig)
    assert (event.order_id, event.amount, event.is_settled, event.is_test) == (
        "INV-7",
        50078,
        True,
        False,
    )
    with pytest.raises(cashi.InvalidRequestError):
        cashi.testing.webhook_body("INV-7", 1.5)


def test_parse_unverified_reads_an_unsigned_body_as_a_hint() -> None:
    event = cashi.Webhook.parse_unverified(BODY)
    assert event.is_verified is False
    assert (event.order_id, event.amount, event.is_settled) == ("INV-9921", 15023, True)
    assert event.raw["data"]["amount"] == 15023
    signed = cashi.Webhook(WEBHOOK_SECRET).verify(BODY, cashi.testing.sign(WEBHOOK_SECRET, BODY))
    assert signed.is_verified is True
    assert signed != event
    with pytest.raises(cashi.WebhookPayloadError, match=r"data\.amount"):
        cashi.Webhook.parse_unverified('{"event":"X","data":{"order_id":"A","status":"S"}}')
    with pytest.raises(TypeError, match="already-parsed dict"):
        cashi.Webhook.parse_unverified(json.loads(BODY))  # type: ignore[arg-type]


def test_unknown_event_and_test_webhook() -> None:
    body = '{"event":"PAYMENT_REFUNDED","data":{"order_id":"TEST-1","status":"REFUNDED","amount":"100"}}'
    event = cashi.Webhook("sk").verify(body, cashi.testing.sign("sk", body))
    assert event.event == "PAYMENT_REFUNDED"
    assert event.status == "REFUNDED"
    assert event.is_test and not event.is_settled
    assert event.amount == 100
