"""The exceptions of the Cashi SDK: one class per stable error code.

Every exception is a :class:`CashiError` with ``.code`` (the stable code string shared by
every Cashi SDK), ``.message`` (what went wrong and what to do) and ``.status`` (the HTTP
status of Cashi's answer, or ``None``). The hierarchy::

    CashiError
    ├── InvalidRequestError (also ValueError)   invalid_argument
    ├── APIError                                api: Cashi answered success:false
    │   ├── AuthenticationError                 authentication: 401/403
    │   ├── NotFoundError                       not_found: 404
    │   ├── ConflictError                       conflict: 409, the order id exists
    │   ├── RateLimitError                      rate_limited: 429 after the retries
    │   └── ServerError                         server: 5xx after the retries
    ├── APIConnectionError                      connection: no connection, or it broke
    │   └── APITimeoutError                     timeout: no answer in time
    ├── DecodeError                             decode: a 2xx answer that is not Cashi's JSON
    ├── SignatureVerificationError              signature_invalid: webhook not signed by Cashi
    ├── WebhookPayloadError                     webhook_payload: signed, but not a Cashi event
    ├── PaymentMismatchError                    payment_mismatch: do not fulfil
    └── InternalError                           internal: a bug in the SDK

Exceptions pickle (for multiprocessing, Celery and friends) and never carry the API key or
a webhook secret.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "CashiError",
    "ConflictError",
    "DecodeError",
    "InternalError",
    "InvalidRequestError",
    "NotFoundError",
    "PaymentMismatchError",
    "RateLimitError",
    "ServerError",
    "SignatureVerificationError",
    "WebhookPayloadError",
]


def _rebuild(cls: type[CashiError], state: dict[str, Any]) -> CashiError:
    """Unpickles any CashiError subclass from its attributes, whatever its ``__init__``."""
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class CashiError(Exception):
    """Base class of every error the Cashi SDK raises.

    Attributes:
        code: The stable error code, e.g. ``"not_found"``; the same in every Cashi SDK.
        message: What went wrong and what to do about it.
        status: The HTTP status of Cashi's answer, or ``None`` when there was none.
    """

    #: The code of this class (a subclass's instances always carry it).
    default_code: ClassVar[str] = "internal"

    code: str
    message: str
    status: int | None

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __str__(self) -> str:
        if self.status is not None:
            return f"{self.code} (HTTP {self.status}): {self.message}"
        return f"{self.code}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"status={self.status!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self.__dict__)))


class _CodedError(CashiError):
    """A subclass bound to one code: constructed as ``Cls(message, status=None)``."""

    def __init__(self, message: str, status: int | None = None, *, code: str | None = None) -> None:
        super().__init__(code or self.default_code, message, status)


class InvalidRequestError(_CodedError, ValueError):
    """An argument was refused before anything was sent (code ``invalid_argument``).

    The message names the field, e.g. ``amount: 1500 is outside the QRIS limits ...``.
    Also a :class:`ValueError`.
    """

    default_code = "invalid_argument"


class APIError(_CodedError):
    """Cashi answered with an error (code ``api``: ``success:false`` or another 4xx).

    The parent of the errors for specific answers (authentication, not found, conflict,
    rate limited, server), so ``except cashi.APIError`` catches every refusal by Cashi.
    """

    default_code = "api"


class AuthenticationError(APIError):
    """The API key is missing, wrong or revoked: HTTP 401/403 (code ``authentication``)."""

    default_code = "authentication"


class NotFoundError(APIError):
    """Cashi knows no order with this id: HTTP 404 (code ``not_found``)."""

    default_code = "not_found"


class ConflictError(APIError):
    """The order id is already taken: HTTP 409 (code ``conflict``)."""

    default_code = "conflict"


class RateLimitError(APIError):
    """Too many requests: HTTP 429, still after the retries (code ``rate_limited``)."""

    default_code = "rate_limited"


class ServerError(APIError):
    """Cashi (or a proxy in front of it) failed: HTTP 5xx after the retries (code ``server``)."""

    default_code = "server"


class APIConnectionError(_CodedError):
    """No connection to Cashi could be made, or it broke (code ``connection``).

    When it broke after the request was sent, the request may or may not have taken
    effect: check the order's status before creating it again.
    """

    default_code = "connection"


class APITimeoutError(APIConnectionError):
    """Cashi did not answer in time, or ``wait_for_payment`` reached its deadline (code ``timeout``)."""

    default_code = "timeout"


class DecodeError(_CodedError):
    """A successful answer that is not the JSON Cashi sends, or a QR that is not a PNG (code ``decode``)."""

    default_code = "decode"


class SignatureVerificationError(_CodedError):
    """A webhook whose signature does not match its raw body (code ``signature_invalid``).

    Answer such a request with 400 or 401 and do nothing else: Cashi did not send it.
    """

    default_code = "signature_invalid"


class WebhookPayloadError(_CodedError):
    """A correctly signed webhook whose body is not a Cashi event (code ``webhook_payload``).

    The message names the field, e.g. ``data.amount``.
    """

    default_code = "webhook_payload"


class PaymentMismatchError(_CodedError):
    """``confirm`` found the order not settled, or settled with another amount (code ``payment_mismatch``).

    Do not fulfil the order.

    Attributes:
        order_id: The order that was checked.
        expected_amount: The amount you expected (stored at create-order time).
        actual_amount: The amount Cashi reports, or ``None`` when it reports none.
        payment_status: The status Cashi reports, e.g. ``"PENDING"``.
    """

    default_code = "payment_mismatch"

    order_id: str
    expected_amount: int
    actual_amount: int | None
    payment_status: str

    def __init__(
        self,
        message: str,
        *,
        order_id: str,
        expected_amount: int,
        actual_amount: int | None,
        payment_status: str,
        code: str | None = None,
    ) -> None:
        super().__init__(message, None, code=code)
        self.order_id = order_id
        self.expected_amount = expected_amount
        self.actual_amount = actual_amount
        self.payment_status = payment_status

    def __repr__(self) -> str:
        return (
            f"PaymentMismatchError(order_id={self.order_id!r}, "
            f"expected_amount={self.expected_amount!r}, actual_amount={self.actual_amount!r}, "
            f"payment_status={self.payment_status!r}, message={self.message!r})"
        )


class InternalError(_CodedError):
    """A bug in the Cashi SDK (code ``internal``). Please report it."""

    default_code = "internal"


#: The one table from the core's error codes to the classes.
_CLASS_BY_CODE: dict[str, type[_CodedError]] = {
    cls.default_code: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        ServerError,
        APIError,
        APITimeoutError,
        APIConnectionError,
        DecodeError,
        SignatureVerificationError,
        WebhookPayloadError,
        PaymentMismatchError,
        InternalError,
    )
}


def _from_native(
    code: str,
    message: str,
    status: int | None,
    mismatch: tuple[str, int, int | None, str] | None,
) -> CashiError:
    """Builds the exception for an error of the native module (called from Rust)."""
    if mismatch is not None:
        order_id, expected, actual, payment_status = mismatch
        return PaymentMismatchError(
            message,
            order_id=order_id,
            expected_amount=expected,
            actual_amount=actual,
            payment_status=payment_status,
            code=code,
        )
    cls = _CLASS_BY_CODE.get(code)
    if cls is None or cls is PaymentMismatchError:
        # A code newer than this Python layer: still a CashiError with that code.
        return CashiError(code, message, status)
    return cls(message, status, code=code)


def _invalid(message: str) -> InvalidRequestError:
    """An ``invalid_argument`` error raised by the Python layer itself."""
    return InvalidRequestError(message)
