"""The Cashi API clients: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio)."""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Union

from . import _cashi, _events
from ._errors import CashiError, _invalid
from ._models import Order, PaymentStatus, WebhookEvent
from ._secret import Redacted

__all__ = ["DEFAULT_WAIT", "AsyncClient", "Client", "OrderLike"]

#: Anything that names an order: its id, or an Order, PaymentStatus or WebhookEvent.
OrderLike = Union[str, Order, PaymentStatus, WebhookEvent]

#: How long ``wait_for_payment`` waits by default, in seconds (the core's default).
DEFAULT_WAIT: float = _cashi.DEFAULT_WAIT

#: create_order's arguments, the keys of a request of ``create_orders``.
_ORDER_KEYS = ("amount", "order_id", "channel", "extra")


def _opt_text(field: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _invalid(f"{field}: must be a str, not {type(value).__name__}")


def _path(field: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _invalid(f"{field}: must be a path (str or os.PathLike), not {type(value).__name__}")


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


def _batch(field: str, items: object) -> list[Any]:
    """A batch's items as a list: any iterable but text or a mapping (whose keys would be
    taken for the items)."""
    if isinstance(items, (str, bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        raise _invalid(f"{field}: must be a list, not {type(items).__name__}")
    return list(items)


def _status_item(order: object) -> str | CashiError:
    """An item of ``check_statuses``: its order id, or the error check_status would raise."""
    try:
        return _order_id(order)
    except CashiError as e:
        return e.with_traceback(None)  # a result, not a raised error: no frames kept


def _order_item(request: object) -> tuple[Any, ...] | CashiError:
    """An item of ``create_orders``: create_order's arguments (as the native module takes
    them), or the error create_order would raise for them."""
    if not isinstance(request, Mapping):
        return _invalid(
            "requests: each item must be a dict of create_order's arguments "
            f"({', '.join(_ORDER_KEYS)}), not {type(request).__name__}"
        )
    unknown = [key for key in request if key not in _ORDER_KEYS]
    if unknown:
        return _invalid(
            f"requests: {unknown[0]!r} is not an argument of create_order "
            f"({', '.join(_ORDER_KEYS)})"
        )
    try:
        return (
            request.get("amount"),
            _opt_text("order_id", request.get("order_id")),
            _opt_text("channel", request.get("channel")),
            _extra(request.get("extra")),
        )
    except CashiError as e:
        return e.with_traceback(None)


class _Base:
    """Configuration shared by the blocking and the asyncio client."""

    _client: Any

    @property
    def _native(self) -> Any:
        """The native client, once the ``cashi`` logger's level is passed on (see _events)."""
        _events.refresh()
        return self._client

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        connect_timeout: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
    ) -> None:
        # Before anything can raise, the key leaves this frame's locals (see _secret.py).
        key = Redacted(api_key)
        del api_key
        url = _opt_text("base_url", base_url)
        # Only what was given goes to the core, which has the defaults and the rules.
        self._client = _cashi.Client(
            key.text_or_none("api_key"),
            url,
            timeout,
            connect_timeout,
            max_retries,
            _path("ca_bundle", ca_bundle),
        )
        given = {"timeout": timeout, "max_retries": max_retries, "connect_timeout": connect_timeout}
        self._settings = {name: value for name, value in given.items() if value is not None}

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
        settings = "".join(f", {name}={value!r}" for name, value in self._settings.items())
        return f"{type(self).__name__}(base_url={self.base_url!r}{settings})"


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
        ca_bundle: A PEM file of CA certificates to trust besides the SDK's built-in roots
            (a TLS-inspecting proxy's, a private CA's); ``None`` reads ``CASHI_CA_BUNDLE``,
            then ``SSL_CERT_FILE``. ``REQUESTS_CA_BUNDLE`` and certifi are not read.

    A setting left ``None`` takes the SDK's default, the same in every Cashi SDK.

    Raises:
        InvalidRequestError: A setting is invalid, no API key was found, or the
            ``ca_bundle`` file is missing or holds no usable certificate (the message names
            it).

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
        order: Order = self._native.create_order(
            amount, _opt_text("order_id", order_id), _opt_text("channel", channel), _extra(extra)
        )
        return order

    def check_status(self, order: OrderLike) -> PaymentStatus:
        """Reads an order's payment status.

        Args:
            order: The order id, or an :class:`Order`, :class:`PaymentStatus` or
                :class:`WebhookEvent` naming it.

        Raises:
            NotFoundError: Cashi knows no such order.
            CashiError: Any other failure.
        """
        status: PaymentStatus = self._native.check_status(_order_id(order))
        return status

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
        status: PaymentStatus = self._native.wait_for_payment(_order_id(order), timeout)
        return status

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
        status: PaymentStatus
        if isinstance(order, WebhookEvent) and order.is_verified:
            status = self._native.confirm_event(order._body, expected_amount)
        else:
            status = self._native.confirm(_order_id(order), expected_amount)
        return status

    def check_statuses(self, order_ids: Iterable[OrderLike]) -> list[PaymentStatus | CashiError]:
        """Reads many orders' statuses at once, and returns when every one has answered.

        For a cron job reconciling pending orders, or a page listing several. The requests
        run concurrently inside the SDK (at most ``cashi.BATCH_IN_FLIGHT`` at a time, each
        retried as :meth:`check_status`'s) with the GIL released: cheaper than as many
        threads. One failed item does not stop the others::

            for status in client.check_statuses(pending_ids):
                if isinstance(status, cashi.CashiError):
                    log.warning("%s", status)  # e.g. a NotFoundError
                elif status.is_settled:
                    ...

        Args:
            order_ids: Order ids (or objects naming orders, as :meth:`check_status` takes),
                at most ``cashi.MAX_BATCH_ITEMS``.

        Returns:
            A list of the same length in the same order: each item the order's
            :class:`PaymentStatus`, or the :class:`CashiError` :meth:`check_status` would
            have raised for it, returned rather than raised (as ``asyncio.gather(...,
            return_exceptions=True)`` does). An empty list gives an empty list.

        Raises:
            InvalidRequestError: ``order_ids`` is not a list, or holds more than
                ``cashi.MAX_BATCH_ITEMS`` items; nothing was sent.
        """
        items = [_status_item(order) for order in _batch("order_ids", order_ids)]
        results: list[PaymentStatus | CashiError] = self._native.check_statuses(items)
        return results

    def create_orders(self, requests: Iterable[Mapping[str, Any]]) -> list[Order | CashiError]:
        """Creates many orders at once, and returns when every one has answered.

        Each request is a dict of :meth:`create_order`'s arguments (``amount``, and
        optionally ``order_id``, ``channel``, ``extra``). The requests run concurrently
        inside the SDK (at most ``cashi.BATCH_IN_FLIGHT`` at a time, each retried as
        :meth:`create_order`'s) with the GIL released. One failed item does not stop the
        others::

            results = client.create_orders([
                {"amount": 15000, "order_id": "INV-1"},
                {"amount": 50000, "order_id": "INV-2", "channel": "BCA"},
            ])
            for result in results:
                if isinstance(result, cashi.Order):
                    save(result.order_id, result.amount)

        Args:
            requests: Dicts of create_order's arguments, at most ``cashi.MAX_BATCH_ITEMS``.

        Returns:
            A list of the same length in the same order: each item the :class:`Order`, or
            the :class:`CashiError` :meth:`create_order` would have raised for that request
            (an :class:`InvalidRequestError` for an item that is not a dict of its
            arguments, a :class:`ConflictError` for an order id that exists, ...), returned
            rather than raised. An empty list gives an empty list.

        Raises:
            InvalidRequestError: ``requests`` is not a list, or holds more than
                ``cashi.MAX_BATCH_ITEMS`` items; nothing was sent.
        """
        items = [_order_item(request) for request in _batch("requests", requests)]
        results: list[Order | CashiError] = self._native.create_orders(items)
        return results

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
        order: Order = await _await(
            self._native.create_order_async,
            amount,
            _opt_text("order_id", order_id),
            _opt_text("channel", channel),
            _extra(extra),
        )
        return order

    async def check_status(self, order: OrderLike) -> PaymentStatus:
        """Reads an order's payment status; see :meth:`Client.check_status`."""
        status: PaymentStatus = await _await(self._native.check_status_async, _order_id(order))
        return status

    async def wait_for_payment(
        self, order: OrderLike, timeout: float = DEFAULT_WAIT
    ) -> PaymentStatus:
        """Waits until the order is settled or expired; see :meth:`Client.wait_for_payment`.

        Cancelling the awaiting task stops the polling.
        """
        status: PaymentStatus = await _await(
            self._native.wait_for_payment_async, _order_id(order), timeout
        )
        return status

    async def confirm(self, order: OrderLike, expected_amount: int) -> PaymentStatus:
        """Succeeds only if the order is SETTLED with ``expected_amount``; see :meth:`Client.confirm`."""
        status: PaymentStatus
        if isinstance(order, WebhookEvent) and order.is_verified:
            status = await _await(self._native.confirm_event_async, order._body, expected_amount)
        else:
            status = await _await(self._native.confirm_async, _order_id(order), expected_amount)
        return status

    async def check_statuses(
        self, order_ids: Iterable[OrderLike]
    ) -> list[PaymentStatus | CashiError]:
        """Reads many orders' statuses at once; see :meth:`Client.check_statuses`.

        The batch runs on the SDK's I/O thread; the event loop only collects the results.
        """
        items = [_status_item(order) for order in _batch("order_ids", order_ids)]
        results: list[PaymentStatus | CashiError] = await _await(
            self._native.check_statuses_async, items
        )
        return results

    async def create_orders(
        self, requests: Iterable[Mapping[str, Any]]
    ) -> list[Order | CashiError]:
        """Creates many orders at once; see :meth:`Client.create_orders`."""
        items = [_order_item(request) for request in _batch("requests", requests)]
        results: list[Order | CashiError] = await _await(self._native.create_orders_async, items)
        return results

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
