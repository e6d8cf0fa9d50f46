"""The webhook route every merchant needs, written once: verify, confirm, fulfil once.

:class:`WebhookHandler` is framework-free (a raw body and the headers in, a status code and
a short text out); ``cashi.flask``, ``cashi.starlette`` and ``cashi.django`` wrap it for
those frameworks. The decisions, in order:

====================================================  ======  ==============================
the request                                           status  the merchant's callbacks
====================================================  ======  ==============================
signature missing or wrong, or not a Cashi event      400     none
the dashboard's Test Webhook (order id ``TEST-``)     200     none
not a settlement (another event or status)            200     none
``already_fulfilled(order_id)`` is true (a repeat)    200     that one only
``expected_amount(order_id)`` is ``None``             404     (Cashi retries: an order this
                                                              shop does not know yet)
``confirm`` refuses it (``payment_mismatch``)         409     ``on_mismatch``, if given
``confirm`` could not reach Cashi (network, 5xx, 429) 503     (Cashi retries)
``confirm`` failed otherwise (a wrong API key, ...)   500     (Cashi retries)
a callback raised                                     500     (Cashi retries; logged)
paid and confirmed                                    200     ``on_paid(order_id, amount,
                                                              event)``
====================================================  ======  ==============================

Each answer's status, text and ``outcome`` name come from the core's table
(``core/src/webhook_answer.rs``, as ``cashi._answers``), so the handlers of every language
answer Cashi alike.

409, not 422, for a payment ``confirm`` refuses: the webhook is well formed, but what it
claims conflicts with the order's state as Cashi's own API and the shop's stored amount
report it, and that state can change: a webhook that arrives before check-status says
SETTLED succeeds on a later delivery. Any answer other than 200 makes Cashi deliver again,
which also keeps a refused payment visible in its delivery log.

``allow_unsigned=True`` is for an account whose webhooks carry no ``x-gateway-signature``:
a request without that header is then read as a hint (:meth:`Webhook.parse_unverified`)
and goes through the same steps; since ``confirm`` against the stored amount decides, and
takes nothing from an unverified event but its order id, safety rests on Cashi's API, not
on the signature. A request that carries the header is still verified, and refused with
400 when the signature is wrong.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Optional, Union

from . import _answers as answers
from ._answers import WebhookOutcome
from ._client import AsyncClient, Client
from ._errors import CashiError, PaymentMismatchError
from ._models import PaymentStatus, WebhookEvent
from ._secret import Redacted
from ._webhook import Headers, RawBody, Webhook

__all__ = ["WebhookHandler", "WebhookResponse"]

log = logging.getLogger("cashi.webhooks")

#: ``expected_amount(order_id)``: the amount to pay stored at create-order time
#: (``order.amount``), or ``None`` for an order this shop does not know.
ExpectedAmount = Callable[[str], Union[Optional[int], Awaitable[Optional[int]]]]
#: ``on_paid(order_id, amount, event)``: fulfil the order (ship, e-mail, mark it paid).
OnPaid = Callable[[str, int, WebhookEvent], object]
#: ``already_fulfilled(order_id)``: whether ``on_paid`` already ran for this order.
AlreadyFulfilled = Callable[[str], Union[bool, Awaitable[bool]]]
#: ``on_mismatch(order_id, error, event)``: ``confirm`` refused the payment (flag it).
OnMismatch = Callable[[str, PaymentMismatchError, WebhookEvent], object]


@dataclass(frozen=True)
class WebhookResponse:
    """What to answer Cashi: an HTTP status and a short plain text (no secrets, no details)."""

    status: int
    text: str
    #: The outcome's stable name (``"fulfilled"``, ``"already_fulfilled"``,
    #: ``"invalid_signature"``, ...): what to count or branch on, rather than the text.
    outcome: WebhookOutcome
    #: The event read from the body, when it could be read.
    event: WebhookEvent | None = None


def _respond(answer: answers.Answer, event: WebhookEvent | None = None) -> WebhookResponse:
    return WebhookResponse(answer.status, answer.text, answer.outcome, event)


def _logged(response: WebhookResponse) -> WebhookResponse:
    """Logs the answer to ``cashi.webhooks``: INFO for a 200, WARNING for a 400, 404, 409 or
    503, ERROR for a 500; ``record.cashi_event`` holds its fields, as the SDK's events do."""
    event = response.event
    order_id = None if event is None else event.order_id
    status = response.status
    level = answers.ANSWERS[response.outcome].level
    if log.isEnabledFor(level):
        fields = {
            "type": "webhook_answer",
            "order_id": order_id,
            "outcome": response.outcome,
            "status": status,
            "text": response.text,
            "is_test": None if event is None else event.is_test,
            "is_verified": None if event is None else event.is_verified,
        }
        where = "" if order_id is None else f" for order {order_id}"
        log.log(
            level, "webhook%s: %d %s", where, status, response.text, extra={"cashi_event": fields}
        )
    return response


class _Call:
    """A step of the handler that runs merchant or network code: run by the sync or the
    async driver, its result (or exception) sent back into the decision flow."""

    __slots__ = ("args", "fn", "name")

    def __init__(self, name: str, fn: Callable[..., Any], *args: Any) -> None:
        self.name, self.fn, self.args = name, fn, args


_Flow = Generator[_Call, Any, WebhookResponse]


class WebhookHandler:
    """Cashi's webhook, handled: verified, answered, confirmed, fulfilled once.

    ::

        handler = cashi.WebhookHandler(
            "sk_...",                                   # Settings -> Webhook
            client=cashi.Client(),                      # CASHI_API_KEY
            expected_amount=lambda order_id: db.amount_to_pay(order_id),  # None: unknown
            on_paid=lambda order_id, amount, event: db.fulfil(order_id),
            already_fulfilled=lambda order_id: db.is_fulfilled(order_id),
        )
        answer = handler.handle(raw_body, request_headers)   # .status, .text

    ``on_paid`` is called only after :meth:`Client.confirm` read the order from Cashi as
    SETTLED with exactly the stored amount. Cashi may deliver a webhook more than once and
    a captured one verifies forever, so make ``on_paid`` itself fulfil once per order id
    (a unique key in its transaction); ``already_fulfilled`` answers repeats early, before
    asking Cashi again. Callbacks may be coroutine functions with :meth:`handle_async`.

    Args:
        secret: The webhook secret, a list of them (rotation), or a :class:`Webhook`.
            ``None`` only with ``allow_unsigned``.
        client: A :class:`Client` for :meth:`handle`, an :class:`AsyncClient` for
            :meth:`handle_async`; by default a :class:`Client` from ``CASHI_API_KEY``.
        expected_amount: ``order_id -> int | None``: the amount stored at create-order time.
        on_paid: ``(order_id, amount, event) -> None``: fulfil; ``amount`` is the confirmed one.
        already_fulfilled: ``order_id -> bool``, optional.
        on_mismatch: ``(order_id, PaymentMismatchError, event) -> None``, optional: the
            payment was refused (not settled yet, another amount): flag it for review.
        allow_unsigned: Read a request that has no signature header as a hint, which
            ``confirm`` decides (see the module's notes); a wrong signature is still refused.
    """

    def __init__(
        self,
        secret: str | bytes | Iterable[str | bytes] | Webhook | None = None,
        *,
        client: Client | AsyncClient | None = None,
        expected_amount: ExpectedAmount,
        on_paid: OnPaid,
        already_fulfilled: AlreadyFulfilled | None = None,
        on_mismatch: OnMismatch | None = None,
        allow_unsigned: bool = False,
    ) -> None:
        given = Redacted(secret)  # out of this frame's locals before anything can raise
        del secret
        callbacks: dict[str, object] = {
            "expected_amount": expected_amount,
            "on_paid": on_paid,
            "already_fulfilled": already_fulfilled,
            "on_mismatch": on_mismatch,
        }
        for name, value in callbacks.items():
            optional = name in ("already_fulfilled", "on_mismatch")
            if not callable(value) and not (optional and value is None):
                what = "a function or None" if optional else "a function"
                raise TypeError(f"{name} must be {what}, not {type(value).__name__}")
        if client is not None and not isinstance(client, (Client, AsyncClient)):
            raise TypeError(
                f"client must be a cashi.Client or cashi.AsyncClient, not {type(client).__name__}"
            )
        self._webhook = self._verifier(given, allow_unsigned)
        self._client = client if client is not None else Client()
        self._expected_amount = expected_amount
        self._on_paid = on_paid
        self._already_fulfilled = already_fulfilled
        self._on_mismatch = on_mismatch
        self._allow_unsigned = bool(allow_unsigned)

    @staticmethod
    def _verifier(given: Redacted, allow_unsigned: bool) -> Webhook | None:
        value = given.reveal()
        if isinstance(value, Webhook):
            return value
        if value is None:
            if allow_unsigned:
                return None
            raise TypeError(
                "secret: pass your webhook secret (sk_..., Settings -> Webhook in the Cashi "
                "dashboard); it may be left out only with allow_unsigned=True"
            )
        return Webhook(given.reveal())

    @property
    def is_async(self) -> bool:
        """Whether it confirms on an :class:`AsyncClient` (:meth:`handle_async`), not a
        :class:`Client` (:meth:`handle`)."""
        return isinstance(self._client, AsyncClient)

    @property
    def allow_unsigned(self) -> bool:
        """Whether a request without a signature header is read as a hint (see the class)."""
        return self._allow_unsigned

    def handle(self, raw_body: RawBody, headers: Headers) -> WebhookResponse:
        """Handles one delivery with a :class:`Client`; callbacks are plain functions.

        Args:
            raw_body: The request body exactly as received (bytes), never parsed JSON.
            headers: The request headers (any mapping or (name, value) pairs).
        """
        client = self._client
        if not isinstance(client, Client):
            raise TypeError(
                "handle() needs a cashi.Client; with an AsyncClient, use handle_async()"
            )
        flow = self._flow(raw_body, headers, client.confirm)
        try:
            call = next(flow)
            while True:
                try:
                    result = call.fn(*call.args)
                    if inspect.isawaitable(result):
                        close = getattr(result, "close", None)
                        if close is not None:
                            close()  # never awaited: no "coroutine was never awaited" warning
                        raise TypeError(
                            f"{call.name} returned an awaitable; coroutine callbacks need "
                            "handle_async() (cashi.starlette)"
                        )
                except Exception as e:
                    call = flow.throw(e)
                else:
                    call = flow.send(result)
        except StopIteration as done:
            response: WebhookResponse = done.value
            return _logged(response)

    async def handle_async(self, raw_body: RawBody, headers: Headers) -> WebhookResponse:
        """Handles one delivery with an :class:`AsyncClient`; callbacks may be coroutine
        functions (awaited) or plain functions (called on the event loop: keep them quick)."""
        client = self._client
        if not isinstance(client, AsyncClient):
            raise TypeError("handle_async() needs a cashi.AsyncClient; with a Client, use handle()")
        flow = self._flow(raw_body, headers, client.confirm)
        try:
            call = next(flow)
            while True:
                try:
                    result = call.fn(*call.args)
                    if inspect.isawaitable(result):
                        result = await result
                except Exception as e:
                    call = flow.throw(e)
                else:
                    call = flow.send(result)
        except StopIteration as done:
            response: WebhookResponse = done.value
            return _logged(response)

    def _read(self, raw_body: RawBody, headers: Headers) -> WebhookEvent | WebhookResponse:
        """The event, or the 400 answer for a body that is not a genuine Cashi event."""
        try:
            if self._allow_unsigned and not Webhook.is_signed(headers):
                event = Webhook.parse_unverified(raw_body)
                log.info("read an unsigned webhook for order %s as a hint", event.order_id)
                return event
            if self._webhook is None:
                log.warning(
                    "refused a signed webhook: no webhook secret is configured to verify it"
                )
                return _respond(answers.NO_SECRET)
            return self._webhook.verify_headers(raw_body, headers)
        except CashiError as e:
            log.warning("refused a webhook: %s", e)
            return _respond(
                answers.INVALID_SIGNATURE
                if e.code == "signature_invalid"
                else answers.INVALID_PAYLOAD
            )

    def _flow(
        self,
        raw_body: RawBody,
        headers: Headers,
        confirm: Callable[[Any, int], Any],
    ) -> _Flow:
        """The decisions, once for both drivers: each yielded call runs merchant or network
        code, and its result (or exception) comes back here."""
        read = self._read(raw_body, headers)
        if isinstance(read, WebhookResponse):
            return read
        event = read
        order_id = event.order_id
        if event.is_test:
            return _respond(answers.TEST_WEBHOOK, event)
        if not event.is_settled:
            return _respond(answers.NOT_SETTLEMENT, event)
        try:
            if self._already_fulfilled is not None:
                done = yield _Call("already_fulfilled", self._already_fulfilled, order_id)
                if done:
                    return _respond(answers.ALREADY_FULFILLED, event)
            expected = yield _Call("expected_amount", self._expected_amount, order_id)
        except Exception:
            log.exception("a webhook callback failed for order %s; Cashi will retry", order_id)
            return _respond(answers.HANDLER_ERROR, event)
        if expected is None:
            log.warning("a webhook for order %s, which this shop does not know", order_id)
            return _respond(answers.UNKNOWN_ORDER, event)
        if isinstance(expected, bool) or not isinstance(expected, int):
            log.error(
                "expected_amount(%r) returned %s, not the stored amount (an int)",
                order_id,
                type(expected).__name__,
            )
            return _respond(answers.HANDLER_ERROR, event)
        try:
            status: PaymentStatus = yield _Call("confirm", confirm, event, expected)
        except PaymentMismatchError as e:
            log.error("payment for order %s not confirmed, not fulfilled: %s", order_id, e)
            if self._on_mismatch is not None:
                try:
                    yield _Call("on_mismatch", self._on_mismatch, order_id, e, event)
                except Exception:
                    log.exception("on_mismatch failed for order %s", order_id)
            return _respond(answers.NOT_CONFIRMED, event)
        except CashiError as e:
            answer = answers.ANSWER_TO_FAILED_CONFIRM.get(e.code, answers.CONFIRM_FAILED)
            log.log(answer.level, "could not confirm order %s: %s", order_id, e)
            return _respond(answer, event)
        except Exception:
            log.exception("could not confirm order %s", order_id)
            return _respond(answers.CONFIRM_FAILED, event)
        amount = status.amount if status.amount is not None else expected
        try:
            yield _Call("on_paid", self._on_paid, order_id, amount, event)
        except Exception:
            log.exception("on_paid failed for order %s; Cashi will retry", order_id)
            return _respond(answers.HANDLER_ERROR, event)
        return _respond(answers.FULFILLED, event)
