"""Verifying Cashi's signed webhooks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Union

from . import _cashi, _events
from ._models import WebhookEvent
from ._secret import Redacted

__all__ = ["SIGNATURE_HEADER", "RawBody", "Webhook"]

#: The header Cashi puts the signature in.
SIGNATURE_HEADER: str = _cashi.SIGNATURE_HEADER

#: A request body exactly as received.
RawBody = Union[bytes, bytearray, memoryview, str]

#: Headers: any mapping (dict, Flask/Werkzeug, Starlette, Django ``request.headers``) or
#: an iterable of (name, value) pairs; names and values as str or bytes.
Headers = Union[Mapping[Any, Any], Iterable[Any]]

_RAW_BODY_HELP = (
    "Webhook verification needs the raw request body exactly as received (bytes or str): "
    "the signature covers those exact bytes, and re-encoding parsed JSON does not reproduce "
    "them. Pass the body before any JSON parsing: Flask `request.get_data()`, Django "
    "`request.body`, FastAPI/Starlette `await request.body()`."
)


def _raw_body(raw_body: object) -> bytes:
    if isinstance(raw_body, bytes):
        return raw_body
    if isinstance(raw_body, str):
        return raw_body.encode("utf-8")
    if isinstance(raw_body, (bytearray, memoryview)):
        return bytes(raw_body)
    if isinstance(raw_body, (dict, list)):
        raise TypeError(
            f"raw_body is an already-parsed {type(raw_body).__name__}. {_RAW_BODY_HELP}"
        )
    raise TypeError(
        f"raw_body must be bytes or str, not {type(raw_body).__name__}. {_RAW_BODY_HELP}"
    )


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")  # HTTP header bytes, as ASGI servers give them
    return str(value)


def _header_pairs(headers: object) -> list[tuple[str, str]]:
    items: Any = headers
    if hasattr(headers, "items"):
        items = headers.items()  # every mapping, Werkzeug/Starlette/Django headers included
    elif isinstance(headers, (str, bytes)) or not isinstance(headers, Iterable):
        raise TypeError(
            "headers must be a mapping (e.g. request.headers) or (name, value) pairs, "
            f"not {type(headers).__name__}"
        )
    pairs = []
    for item in items:
        try:
            name, value = item
        except (TypeError, ValueError):
            raise TypeError(
                f"headers must hold (name, value) pairs; found a {type(item).__name__}"
            ) from None
        pairs.append((_text(name), _text(value)))
    return pairs


class Webhook:
    """Verifies the webhooks Cashi sends, with one secret or several (during a rotation).

    ::

        webhook = cashi.Webhook("sk_...")                 # Settings -> Webhook in the dashboard
        event = webhook.verify(request.get_data(), request.headers.get("x-gateway-signature"))
        event = webhook.verify_headers(request.get_data(), request.headers)   # the same

    The signature (``x-gateway-signature``: hex HMAC-SHA256 of the raw body) is checked in
    constant time on the exact bytes received, before the body is parsed. For a rotation,
    pass ``["sk_new", "sk_old"]``: a signature made with either is accepted.

    A valid signature is not a new payment: Cashi may deliver the same webhook more than
    once, and the signature has no timestamp, so a captured webhook can be replayed forever
    (and :meth:`Client.confirm` still passes). Fulfil once per order id::

        if db.is_fulfilled(event.order_id): return "ok", 200   # a repeat: a retry or a replay
        db.mark_fulfilled(event.order_id)                      # unique key, in the fulfilment's transaction

    Args:
        secret: The webhook secret (str or bytes), or a list of them.

    Raises:
        InvalidRequestError: No secret, or an empty one.
    """

    def __init__(self, secret: str | bytes | Iterable[str | bytes]) -> None:
        # Before anything can raise, the secrets leave this frame's locals (see _secret.py).
        given = Redacted(secret)
        del secret
        secrets, problem = given.secret_list()
        if secrets is None:
            raise TypeError(problem)
        self._native = _cashi.Webhook(secrets.reveal())
        self._count = len(secrets.reveal())

    def verify(self, raw_body: RawBody, signature: str | bytes | None) -> WebhookEvent:
        """Checks ``signature`` against the raw body, then reads the event.

        Args:
            raw_body: The request body exactly as received: Flask ``request.get_data()``,
                Django ``request.body``, FastAPI ``await request.body()``. Not parsed JSON.
            signature: The ``x-gateway-signature`` header (``None`` when it is missing).

        Returns:
            The :class:`WebhookEvent`. A test from the dashboard has ``is_test``: answer
            200 and fulfil nothing. Otherwise skip a repeat (fulfil once per order id: the
            same webhook may come again, or be replayed) and call :meth:`Client.confirm`
            with the event before fulfilling.

        Raises:
            SignatureVerificationError: The signature is missing or does not match: answer 400.
            WebhookPayloadError: Signed correctly but not a Cashi event (names the field).
            TypeError: ``raw_body`` is not bytes or str (e.g. an already-parsed dict).
        """
        sig = "" if signature is None else _text(signature)
        body = _raw_body(raw_body)
        _events.refresh()
        event: WebhookEvent = self._native.verify(body, sig)
        return event

    def verify_headers(self, raw_body: RawBody, headers: Headers) -> WebhookEvent:
        """Like :meth:`verify`, finding ``x-gateway-signature`` among the request headers.

        Args:
            raw_body: The request body exactly as received.
            headers: ``request.headers`` of Flask, Django, FastAPI/Starlette, aiohttp, a dict,
                or a list of (name, value) pairs; names match in any letter case.

        Raises:
            SignatureVerificationError: No signature header, or it does not match.
            WebhookPayloadError: Signed correctly but not a Cashi event.
        """
        body = _raw_body(raw_body)
        pairs = _header_pairs(headers)
        _events.refresh()
        event: WebhookEvent = self._native.verify_headers(body, pairs)
        return event

    @staticmethod
    def is_signed(headers: Headers) -> bool:
        """Whether the request's headers carry Cashi's signature header, found by the rule
        :meth:`verify_headers` uses (any letter case, or CGI's ``HTTP_X_GATEWAY_SIGNATURE``).

        A handler that accepts unsigned webhooks reads a request without one with
        :meth:`parse_unverified`, and verifies every other.
        """
        signed: bool = _cashi.Webhook.is_signed(_header_pairs(headers))
        return signed

    @staticmethod
    def parse_unverified(raw_body: RawBody) -> WebhookEvent:
        """Reads a webhook that came with no signature, as a hint only (``is_verified`` False).

        For an account whose webhooks are not signed. Anyone can send such a body, so it
        proves nothing: fulfil only after :meth:`Client.confirm` with the amount stored at
        create-order time, which takes nothing from an unverified event but its order id.
        A request that carries a signature goes to :meth:`verify`, never here: a wrong
        signature is refused, not read as unsigned.

        Raises:
            WebhookPayloadError: Not a Cashi event (names the field).
            TypeError: ``raw_body`` is not bytes or str.
        """
        body = _raw_body(raw_body)
        event: WebhookEvent = _cashi.Webhook.parse_unverified(body)
        return event

    def __repr__(self) -> str:
        count = getattr(self, "_count", None)  # None: its __init__ failed
        if count is None:
            return "<Webhook, not configured>"
        return f"Webhook(<{count} secret{'s' if count != 1 else ''}, redacted>)"
