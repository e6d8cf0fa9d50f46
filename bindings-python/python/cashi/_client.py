"""The Cashi API clients: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio)."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Union

from . import _cashi
from ._errors import _invalid
from ._models import Order, PaymentStatus, WebhookEvent
from ._secret import Redacted

__all__ = ["AsyncClient", "Client", "OrderLike"]

#: Anything that names an order: its id, or an Order, PaymentStatus or WebhookEvent.
OrderLike = Union[str, Order, PaymentStatus, WebhookEvent]

#: Default whole-request timeout, connect timeout (seconds) and retries.
DEFAULT_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
#: Default time ``wait_for_payment`` waits (seconds): an order is payable for 10 minutes.
DEFAULT_WAIT = 600.0


def _opt_text(field: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _invalid(f"{field}: must be a str, not {type(value).__name__}")


def _seconds(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid(f"{field}: must be a number of seconds, not {type(value).__name__}")
    return float(value)  # the native module checks it is positive and finite


def _retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(f"max_retries: must be an int, not {type(value).__name__}")
    if value < 0:
        raise _invalid(f"max_retries: {value} is negative; pass 0 for no retries")
    return min(value, 11)  # the core refuses more than 10 (and u32 holds 11)


def _extra(value: object) -> str | None:
    """The extra fields as JSON text; the native module's core checks what they hold."""
    if value is None:
        return None
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise _invalid(f"extra: cannot be written as JSON ({e})") from None


def _order_id(order: object) -> str:
    if isinstance(order, str):
        return order
    if isinstance(order, (Order, PaymentStatus, WebhookEvent)):
        return order.order_id
    raise _invalid(
        "order_id: must be a str (or an Order, PaymentStatus or WebhookEvent), "
        f"not {type(order).__name__}"
    )


class _Base:
    """Configuration shared by the blocking and the asyncio client."""

    _native: Any

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        # Before anything can raise, the key leaves this frame's locals (see _secret.py).
        key = Redacted(api_key)
        del api_key
        self._timeout = _seconds("timeout", timeout)
        self._max_retries = _retries(max_retries)
        connect = _seconds("connect_timeout", connect_timeout)
        url = _opt_text("base_url", base_url)
        self._native = _cashi.Client(
            key.text_or_none("api_key"), url, self._timeout, connect, self._max_retries
        )

    @property
    def base_url(self) -> str:
        """The API's base URL, e.g. ``https://cashi.id/api``."""
        return str(self._native.base_url)

    @property
    def user_agent(self) -> str:
        """The user-agent sent with every request."""
        return str(self._native.user_agent)

    def __repr__(self) -> str:
        # The API key is never shown. A client whose __init__ failed (shown by a traceback
        # with locals) has no native client.
        if getattr(self, "_native", None) is None:
            return f"<{type(self).__name__}, not configured>"
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self._timeout!r}, "
            f"max_retries={self._max_retries!r})"
        )


class Client(_Base):
    """A blocking client for the Cashi API.

    ::

        client = cashi.Client()            # api key from CASHI_API_KEY
        order = client.create_order(15000, order_id="INV-9921")
        save(order.order_id, order.amount)  # the amount to pay, unique code included

    Args:
        api_key: Your Cashi API key; ``None`` reads ``CASHI_API_KEY``.
        base_url: The API's base URL; ``None`` reads ``CASHI_BASE_URL``, then uses
            ``https://cashi.id/api``. Plain ``http://`` is allowed only for loopback hosts
            (a local sandbox), so the key never crosses a network in clear text.
        timeout: Seconds allowed for a whole request, answer included.
        max_retries: How many times a failed request may be repeated (0-10). Status reads
            are retried on connection errors, timeouts, 429 and 5xx; order creation only when
            the request surely did not reach Cashi, so a retry never opens a second order.
        connect_timeout: Seconds allowed to open a connection.

    Raises:
        InvalidRequestError: A setting is invalid or no API key was found.

    The client is thread-safe and pools connections: create one and share it. Every call
    releases the GIL while it waits for the network. It also works in a process forked
    after it was used (gunicorn, Celery prefork): the child opens its own connections.
    """

    def create_order(
        self,
        amount: int,
        *,
        order_id: str | None = None,
        channel: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Order:
        """Creates an order and returns what Cashi answered.

        Args:
            amount: Whole rupiah (an ``int``; an integral ``float`` or ``Decimal`` is accepted,
                nothing is ever rounded). Limits: QRIS 2,000-10,000,000; virtual accounts
                10,000-50,000,000; retail 15,000-2,500,000.
            order_id: Your own unique id for the order (recommended), at most 100 characters.
            channel: ``None`` for standard QRIS, or ``"QRIS_CUSTOM"``, ``"BCA"``, ``"MANDIRI"``,
                ``"BNI"``, ``"BRI"``, ``"BSI"``, ``"ALFAMART"``, ``"INDOMARET"``, or a newer code.
            extra: Fields the SDK does not model, sent in the request body as given, e.g.
                ``{"callback_url": "https://shop.example/cashi"}`` or customer details: a
                ``dict`` of JSON values, at most 16 KiB as JSON. A key the SDK sets itself
                (``amount``, ``order_id``, ``kode_channel``, ``QRIS_CUSTOM``) is refused.

        Returns:
            The :class:`Order`. Store its ``amount``: it is what the customer pays. Fields of
            the answer the SDK does not model are in its ``raw``.

        Raises:
            InvalidRequestError: The amount, order id, channel or extra fields were refused
                before sending.
            ConflictError: The order id is already taken.
            CashiError: Any other failure (see its ``code``).
        """
        return Order._from_native(
            self._native.create_order(
                amount,
                _opt_text("order_id", order_id),
                _opt_text("channel", channel),
                _extra(extra),
            )
        )

    def check_status(self, order: OrderLike) -> PaymentStatus:
        """Reads an order's payment status.

        Args:
            order: The order id, or an :class:`Order`, :class:`PaymentStatus` or
                :class:`WebhookEvent` naming it.

        Raises:
            NotFoundError: Cashi knows no such order.
            CashiError: Any other failure.
        """
        return PaymentStatus._from_native(self._native.check_status(_order_id(order)))

    def wait_for_payment(self, order: OrderLike, timeout: float = DEFAULT_WAIT) -> PaymentStatus:
        """Polls the status (1 s apart, then up to 5 s) until the order is settled or expired.

        Transient failures in between are ridden out. Only the exact words ``SETTLED`` and
        ``EXPIRED`` end the wait: another letter case or an unknown word keeps it polling.
        Press Ctrl-C to stop waiting.

        Args:
            order: The order id, or an object naming it.
            timeout: Seconds to wait at most.

        Returns:
            The final :class:`PaymentStatus`: check ``is_settled`` (it may be ``EXPIRED``).

        Raises:
            APITimeoutError: Neither settled nor expired within ``timeout``.
            NotFoundError: Cashi knows no such order.
            PaymentMismatchError: Cashi answered about another order.
        """
        return PaymentStatus._from_native(
            self._native.wait_for_payment(_order_id(order), _seconds("timeout", timeout))
        )

    def confirm(self, order: OrderLike, expected_amount: int) -> PaymentStatus:
        """Re-reads the status from Cashi; succeeds only if SETTLED with exactly ``expected_amount``.

        Call it before fulfilling, even after a verified webhook, with the amount you stored
        at create-order time (``order.amount``), never the amount from the webhook itself.
        The answer must be about this order and say exactly ``SETTLED``.

        Pass the verified :class:`WebhookEvent` rather than its ``order_id`` when you have
        it: if Cashi's answer says SETTLED but carries no amount (some providers omit it),
        the event's signed amount is compared instead and the result's
        ``amount_from_webhook`` is ``True``. With only an order id, or an event read without a
        signature (``is_verified`` False: only its order id is used), such an answer is a
        :class:`PaymentMismatchError` saying so.

        Fulfil once per order id: Cashi may deliver a webhook more than once, and a captured
        one can be replayed (its signature has no timestamp); ``confirm`` still passes.

        Raises:
            PaymentMismatchError: Not settled, settled with another amount, or an answer
                about another order: do not fulfil.
            CashiError: The status could not be read.
        """
        if isinstance(order, WebhookEvent) and order.is_verified:
            return PaymentStatus._from_native(
                self._native.confirm_event(order._body, expected_amount)
            )
        return PaymentStatus._from_native(self._native.confirm(_order_id(order), expected_amount))

    def close(self) -> None:
        """Ends the use of this client. Idle connections close by themselves; nothing else to free."""

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _deliver(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    """Runs on the event loop (from its inbox): completes a call's future."""
    if future.done():  # cancelled meanwhile
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


# One inbox per event loop: the runtime threads leave answers there without taking the GIL,
# and the loop collects them when the inbox's socket becomes readable.
_inboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()


def _inbox(loop: asyncio.AbstractEventLoop) -> Any:
    inbox = _inboxes.get(loop)
    if inbox is None:
        inbox = _cashi.LoopInbox()
        try:
            loop.add_reader(inbox.fileno(), inbox.drain, _deliver)
        except NotImplementedError:
            raise RuntimeError(
                "cashi.AsyncClient needs an event loop that can watch sockets "
                "(loop.add_reader): asyncio's default loop on Linux and macOS, or uvloop"
            ) from None
        _inboxes[loop] = inbox
    return inbox


async def _await(start: Any, *args: Any) -> Any:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    pending = start(*args, _inbox(loop), future)
    try:
        return await future
    except asyncio.CancelledError:
        pending.cancel()
        raise


class AsyncClient(_Base):
    """An asyncio client for the Cashi API: :class:`Client`'s methods, awaitable.

    ::

        async with cashi.AsyncClient() as client:
            order = await client.create_order(15000, order_id="INV-9921")

    The requests run on the SDK's own I/O threads, never on the event loop, so hundreds of
    concurrent calls do not block it. One client may serve any number of loops and tasks.
    Takes the same arguments as :class:`Client`.
    """

    async def create_order(
        self,
        amount: int,
        *,
        order_id: str | None = None,
        channel: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Order:
        """Creates an order; see :meth:`Client.create_order`."""
        return Order._from_native(
            await _await(
                self._native.create_order_async,
                amount,
                _opt_text("order_id", order_id),
                _opt_text("channel", channel),
                _extra(extra),
            )
        )

    async def check_status(self, order: OrderLike) -> PaymentStatus:
        """Reads an order's payment status; see :meth:`Client.check_status`."""
        return PaymentStatus._from_native(
            await _await(self._native.check_status_async, _order_id(order))
        )

    async def wait_for_payment(
        self, order: OrderLike, timeout: float = DEFAULT_WAIT
    ) -> PaymentStatus:
        """Waits until the order is settled or expired; see :meth:`Client.wait_for_payment`.

        Cancelling the awaiting task stops the polling.
        """
        return PaymentStatus._from_native(
            await _await(
                self._native.wait_for_payment_async, _order_id(order), _seconds("timeout", timeout)
            )
        )

    async def confirm(self, order: OrderLike, expected_amount: int) -> PaymentStatus:
        """Succeeds only if the order is SETTLED with ``expected_amount``; see :meth:`Client.confirm`."""
        if isinstance(order, WebhookEvent) and order.is_verified:
            return PaymentStatus._from_native(
                await _await(self._native.confirm_event_async, order._body, expected_amount)
            )
        return PaymentStatus._from_native(
            await _await(self._native.confirm_async, _order_id(order), expected_amount)
        )

    async def aclose(self) -> None:
        """Ends the use of this client. Idle connections close by themselves; nothing else to free."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
