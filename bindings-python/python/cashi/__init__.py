"""The Cashi SDK for Python: QRIS payments with Cashi (cashi.id).

::

    import cashi

    client = cashi.Client()                                  # CASHI_API_KEY
    order = client.create_order(15000, order_id="INV-9921")  # order.amount == 15023: store it
    png = order.qr_png()                                     # show it to the customer

    # in the webhook handler, on the raw body:
    event = cashi.Webhook("sk_...").verify_headers(raw_body, request.headers)
    if not event.is_test:
        client.confirm(event.order_id, expected_amount=stored_amount)  # then fulfil

:class:`WebhookHandler` is that webhook route, written once (``cashi.flask``,
``cashi.starlette`` and ``cashi.django`` mount it). :class:`AsyncClient` offers the same
calls for asyncio. Every error is a
:class:`CashiError` with a stable ``code``.
"""

from . import testing
from ._answers import WebhookOutcome
from ._cashi import BATCH_IN_FLIGHT, MAX_BATCH_ITEMS, __version__
from ._client import DEFAULT_WAIT, AsyncClient, Client, OrderLike
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CashiError,
    ConflictError,
    DecodeError,
    InternalError,
    InvalidRequestError,
    NotFoundError,
    PaymentMismatchError,
    RateLimitError,
    ServerError,
    SignatureVerificationError,
    WebhookPayloadError,
)
from ._handler import WebhookHandler, WebhookResponse
from ._models import Order, PaymentStatus, RetailCode, VirtualAccount, WebhookEvent
from ._webhook import SIGNATURE_HEADER, Webhook

__all__ = [
    "BATCH_IN_FLIGHT",
    "DEFAULT_WAIT",
    "MAX_BATCH_ITEMS",
    "SIGNATURE_HEADER",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "CashiError",
    "Client",
    "ConflictError",
    "DecodeError",
    "InternalError",
    "InvalidRequestError",
    "NotFoundError",
    "Order",
    "OrderLike",
    "PaymentMismatchError",
    "PaymentStatus",
    "RateLimitError",
    "RetailCode",
    "ServerError",
    "SignatureVerificationError",
    "VirtualAccount",
    "Webhook",
    "WebhookEvent",
    "WebhookHandler",
    "WebhookOutcome",
    "WebhookPayloadError",
    "WebhookResponse",
    "__version__",
    "testing",
]

# Show the public classes where users import them from: `cashi.NotFoundError`, not
# `cashi._errors.NotFoundError`, in tracebacks and reprs (pickle finds them there too).
for _public in (
    AsyncClient,
    Client,
    Order,
    PaymentStatus,
    RetailCode,
    VirtualAccount,
    Webhook,
    WebhookEvent,
    WebhookHandler,
    WebhookResponse,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CashiError,
    ConflictError,
    DecodeError,
    InternalError,
    InvalidRequestError,
    NotFoundError,
    PaymentMismatchError,
    RateLimitError,
    ServerError,
    SignatureVerificationError,
    WebhookPayloadError,
):
    _public.__module__ = __name__
del _public
