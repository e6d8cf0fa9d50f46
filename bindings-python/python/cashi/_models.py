"""What Cashi answers: orders, payment statuses and webhook events (immutable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import _cashi
from ._errors import DecodeError

__all__ = ["Order", "PaymentStatus", "RetailCode", "VirtualAccount", "WebhookEvent"]


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
class Order:
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
        raw: Cashi's whole answer, for fields newer than this SDK.
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
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> Order:
        expires = d["expires_at"]
        va = d["virtual_account"]
        retail = d["retail"]
        return cls(
            order_id=d["order_id"],
            amount=d["amount"],
            requested_amount=d["requested_amount"],
            unique_code=d["unique_code"],
            checkout_url=d["checkout_url"],
            qr_url=d["qr_url"],
            expires_at=datetime.fromisoformat(expires) if expires is not None else None,
            provider=d["provider"],
            fee=d["fee"],
            expected_net=d["expected_net"],
            is_qris_custom=d["is_qris_custom"],
            virtual_account=VirtualAccount(**va) if va is not None else None,
            retail=RetailCode(**retail) if retail is not None else None,
            raw=d["raw"],
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
class PaymentStatus:
    """An order's payment status, as check-status reports it.

    Attributes:
        order_id: The order.
        status: ``"PENDING"``, ``"SETTLED"``, ``"EXPIRED"``, or any other word Cashi sends,
            unchanged (never an error).
        amount: The amount Cashi reports (the amount paid, once settled), or ``None``.
        provider_tx_id: Cashi's transaction id, once settled.
        is_settled: ``status == "SETTLED"``. Before fulfilling, still compare the amount:
            :meth:`Client.confirm` does both.
        is_final: ``SETTLED`` or ``EXPIRED``: the status will not change by itself.
        raw: Cashi's whole answer.
    """

    order_id: str
    status: str
    amount: int | None
    provider_tx_id: str | None
    is_settled: bool
    is_final: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> PaymentStatus:
        return cls(**d)


@dataclass(frozen=True)
class WebhookEvent:
    """A webhook whose signature was verified.

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
        raw: The whole parsed body.
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
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_native(cls, d: dict[str, Any]) -> WebhookEvent:
        paid = d.pop("paid_at_time")
        return cls(paid_at_time=datetime.fromisoformat(paid) if paid is not None else None, **d)
