"""Helpers for testing your own Cashi integration: sign webhook bodies like Cashi does.

::

    body = cashi.testing.webhook_body("INV-9921", 15023)
    response = test_client.post(
        "/webhooks/cashi", data=body, headers=cashi.testing.signed_headers(SECRET, body)
    )
"""

from __future__ import annotations

from . import _cashi
from ._secret import Redacted

__all__ = ["sign", "signed_headers", "webhook_body"]


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def sign(secret: str | bytes, body: str | bytes) -> str:
    """The ``x-gateway-signature`` Cashi would send for ``body``: hex HMAC-SHA256 keyed with ``secret``."""
    key = Redacted(secret)  # out of this frame's locals before anything can raise
    del secret
    return _sign(key, body)


def _sign(key: Redacted, body: str | bytes) -> str:
    data = _bytes(body)
    return _cashi.sign(key.as_bytes("secret"), data)


def webhook_body(order_id: str, amount: int) -> str:
    """A compact ``PAYMENT_SETTLED`` webhook body as Cashi sends it."""
    return _cashi.webhook_body(order_id, amount)


def signed_headers(secret: str | bytes, body: str | bytes) -> dict[str, str]:
    """The headers of a webhook request carrying ``body``: content type and signature."""
    key = Redacted(secret)
    del secret
    return {"content-type": "application/json", _cashi.SIGNATURE_HEADER: _sign(key, body)}
