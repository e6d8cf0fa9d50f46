"""What Cashi answers: orders, payment statuses and webhook events (immutable)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import _cashi
from ._errors import DecodeError

__all__ = ["Order", "PaymentStatus", "RetailCode", "VirtualAccount", "WebhookEvent"]


class _RawOnDemand:
    """``raw``, the whole answer as a dict, built on first read: most code never reads it,
    and converting it (for an order, the QR data URI a second time) was most of a call's
    cost in Python. ``_raw`` holds the native answer or the webhook's body until then."""

    _raw: Any

    @property
    def raw(self) -> dict[str, Any]:
        raw = self._raw
        if type(raw) is not dict:
            raw = json.loads(raw) if isinstance(raw, bytes) else raw.to_dict()
            object.__setattr__(self, "_raw", raw)  # once; the model stays immutable
        return raw


def _time(iso: str | None) -> datetime | None:
    return None if iso is None else datetime.fromisoformat(iso)


@dataclass(frozen=True)
class VirtualAccount:
    """The bank transfer details of a virtual-account order (channels BCA, MANDIRI, BNI, BRI, BSI)."""

    #: The account number the customer transfers to.
    va_number: str
    bank: str | None
    bank_name: str | None
    #: The amount to transfer, fees included, when Cashi says.
    total_amount: int | None
    admin_fee: int | None
    kode_channel: str | None


@dataclass(frozen=True)
class RetailCode:
    """The payment code of a retail order (channels ALFAMART, INDOMARET), shown at the till."""

    payment_code: str
    retail_code: str | None
    retail_name: str | None


@dataclass(frozen=True)
class Order(_RawOnDemand):
    """An order as Cashi created it.

    Store ``amount`` with the order: it is what the customer pays (the requested amount
    plus a unique code of 1-99 rupiah for QRIS), what the webhook carries, and what to pass
    to :meth:`Client.confirm` before fulfilling.

    Attributes:
        order_id: The order's id (yours, or the one Cashi chose).
        amount: The amount to pay, unique code included.
        requested_amount: The amount you asked for.
        unique_code: ``amount - requested_amount``.
        checkout_url: Cashi's hosted payment page, when there is one.
        qr_url: The QR image as a ``data:image/png;base64,...`` URI (QRIS); see :meth:`qr_png`.
        expires_at: When the order stops being payable (an aware datetime at +07:00), or ``None``.
        provider: ``"CASHI"`` (QRIS), ``"VA"``, ``"RETAIL"``, ...
        fee: Cashi's fee as a percentage, e.g. ``0.7``.
        expected_net: What you receive after fees, when Cashi says.
        is_qris_custom: Whether the order is on your own QRIS (channel QRIS_CUSTOM).
        virtual_account: Transfer details of a virtual-account order.
        retail: The payment code of a retail order.
        raw: Cashi's whole answer, for fields newer than this SDK (a dict, built on
            first read).
    """

    order_id: str
    amount: int
    requested_amount: int
    unique_code: int
    checkout_url: str | None
    qr_url: str | None = field(repr=False)
    expires_at: datetime | None
    provider: str | None
    fee: float | None
    expected_net: int | None
    is_qris_custom: bool | None
    virtual_account: VirtualAccount | None
    retail: RetailCode | None
    _raw: Any = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, t: tuple[Any, ...]) -> Order:
        # The fields in this class's order; expires_at as ISO text, the virtual account and
        # the retail code as tuples.
        va, retail = t[11], t[12]
        return cls(
            *t[:6],
            _time(t[6]),
            *t[7:11],
            None if va is None else VirtualAccount(*va),
            None if retail is None else RetailCode(*retail),
            t[13],
        )

    def qr_png(self) -> bytes:
        """The QR code as PNG bytes, decoded from ``qr_url``.

        Raises:
            DecodeError: The order has no QR (not a QRIS order) or ``qr_url`` is not a PNG.
        """
        if self.qr_url is None:
            raise DecodeError(
                f"order {self.order_id!r} has no qrUrl (only QRIS orders carry a QR code)"
            )
        return _cashi.decode_png(self.qr_url)


@dataclass(frozen=True)
class PaymentStatus(_RawOnDemand):
    """An order's payment status, as check-status reports it.

    Attributes:
        order_id: The order.
        status: ``"PENDING"``, ``"SETTLED"``, ``"EXPIRED"``, or any other word Cashi sends,
            unchanged (never an error). Only those exact upper-case words are known: another
            letter case (``"settled"``) or an unknown word is neither settled nor final.
        amount: The amount Cashi reports (the amount paid, once settled), or ``None``.
        provider_tx_id: Cashi's transaction id, once settled.
        is_settled: ``status == "SETTLED"``. Before fulfilling, still compare the amount:
            :meth:`Client.confirm` does both.
        is_final: ``SETTLED`` or ``EXPIRED``: the status will not change by itself.
        amount_from_webhook: ``True`` only from :meth:`Client.confirm` given a verified
            :class:`WebhookEvent` when Cashi's answer said SETTLED without an amount:
            ``amount`` is then the webhook's signed amount.
        raw: Cashi's whole answer (a dict, built on first read).
    """

    order_id: str
    status: str
    amount: int | None
    provider_tx_id: str | None
    is_settled: bool
    is_final: bool
    amount_from_webhook: bool
    _raw: Any = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, t: tuple[Any, ...]) -> PaymentStatus:
        return cls(*t)


@dataclass(frozen=True)
class WebhookEvent(_RawOnDemand):
    """A webhook event: its signature verified, unless read by :meth:`Webhook.parse_unverified`.

    Attributes:
        event: ``"PAYMENT_SETTLED"``, or any other event name, unchanged.
        order_id: The order paid. Ids starting with ``TEST-`` come from the dashboard's
            "Test Webhook" button (see ``is_test``).
        status: The payment status, e.g. ``"SETTLED"``.
        amount: The amount paid: compare it with the amount stored at create-order time.
        payment_method: e.g. ``"QRIS"``, when sent.
        paid_at: ``"YYYY-MM-DD HH:MM:SS"`` in Jakarta time, as sent.
        paid_at_time: ``paid_at`` as an aware datetime (+07:00), when present and readable.
        transaction_id: Cashi's transaction id, when sent.
        is_test: A dashboard test: answer 200 and fulfil nothing.
        is_settled: ``PAYMENT_SETTLED`` with status ``SETTLED``; still call
            :meth:`Client.confirm` before fulfilling.
        is_verified: The signature was verified. False for an event read without one
            (:meth:`Webhook.parse_unverified`): a hint that the order may be paid, which
            :meth:`Client.confirm` with the stored amount decides.
        raw: The whole body, parsed on first read.
    """

    event: str
    order_id: str
    status: str
    amount: int
    payment_method: str | None
    paid_at: str | None
    paid_at_time: datetime | None
    transaction_id: str | None
    is_test: bool
    is_settled: bool
    is_verified: bool
    _raw: Any = field(repr=False, compare=False)
    #: The body, for :meth:`Client.confirm` (``_raw`` becomes the dict once read).
    _body: bytes = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, t: tuple[Any, ...], body: bytes) -> WebhookEvent:
        # The fields in this class's order, paid_at_time as ISO text; `raw` is the body.
        return cls(*t[:6], _time(t[6]), *t[7:], body, body)
