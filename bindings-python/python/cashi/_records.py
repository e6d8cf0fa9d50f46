# Generated from core/src/model.rs by tools/codegen, do not edit: after changing the
# schemas, run `cargo run -p cashi-codegen -- write`.
"""The fields of every result, as the core declares them (core/src/model.rs).

Each class declares one result's fields, in the core's order, with their types and docs;
the public class of the same name in ``cashi._models`` extends it with its methods, and
the native module fills an instance's fields in by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._models import RetailCode, VirtualAccount

__all__ = [
    "OrderFields",
    "VirtualAccountFields",
    "RetailCodeFields",
    "PaymentStatusFields",
    "WebhookEventFields",
]


@dataclass(frozen=True)
class OrderFields:
    """An order as Cashi created it.

    Attributes:
        order_id: The order's id: the one given to create_order, or the one Cashi made.
        amount: The amount to pay, with the unique code. Store it: the webhook carries it.
        requested_amount: The amount that was asked for.
        unique_code: amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none).
        checkout_url: Cashi's hosted payment page.
        qr_url: The QR code as a data:image/png;base64 URI (QRIS orders).
        expires_at: When the order stops being payable, at +07:00; absent if unknown.
        provider: The payment provider Cashi routed the order to.
        fee: Cashi's fee, as a percentage (e.g. 0.7).
        expected_net: What the merchant receives after the fee.
        is_qris_custom: Whether the order uses the merchant's own QRIS.
        virtual_account: The virtual account to pay into (VA orders).
        retail: The payment code to pay at a store (retail orders).
    """

    order_id: str
    """The order's id: the one given to create_order, or the one Cashi made."""

    amount: int
    """The amount to pay, with the unique code. Store it: the webhook carries it."""

    requested_amount: int
    """The amount that was asked for."""

    unique_code: int
    """amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none)."""

    checkout_url: str | None
    """Cashi's hosted payment page."""

    qr_url: str | None
    """The QR code as a data:image/png;base64 URI (QRIS orders)."""

    expires_at: datetime | None
    """When the order stops being payable, at +07:00; absent if unknown."""

    provider: str | None
    """The payment provider Cashi routed the order to."""

    fee: float | None
    """Cashi's fee, as a percentage (e.g. 0.7)."""

    expected_net: int | None
    """What the merchant receives after the fee."""

    is_qris_custom: bool | None
    """Whether the order uses the merchant's own QRIS."""

    virtual_account: VirtualAccount | None
    """The virtual account to pay into (VA orders)."""

    retail: RetailCode | None
    """The payment code to pay at a store (retail orders)."""


@dataclass(frozen=True)
class VirtualAccountFields:
    """The virtual-account part of a VA order.

    Attributes:
        va_number: The account number the customer transfers to.
        bank: The bank's code.
        bank_name: The bank's name.
        total_amount: What the customer transfers, the bank's fee included.
        admin_fee: The bank's fee.
        kode_channel: The channel code the order was created with.
    """

    va_number: str
    """The account number the customer transfers to."""

    bank: str | None
    """The bank's code."""

    bank_name: str | None
    """The bank's name."""

    total_amount: int | None
    """What the customer transfers, the bank's fee included."""

    admin_fee: int | None
    """The bank's fee."""

    kode_channel: str | None
    """The channel code the order was created with."""


@dataclass(frozen=True)
class RetailCodeFields:
    """The payment code of a retail (Alfamart, Indomaret) order.

    Attributes:
        payment_code: The code the customer shows at the till.
        retail_code: The store chain's code.
        retail_name: The store chain's name.
    """

    payment_code: str
    """The code the customer shows at the till."""

    retail_code: str | None
    """The store chain's code."""

    retail_name: str | None
    """The store chain's name."""


@dataclass(frozen=True)
class PaymentStatusFields:
    """An order's payment status, as check-status reports it.

    Attributes:
        order_id: The order's id.
        status: PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent.
        amount: The amount Cashi reports for the order (the amount paid, once settled).
        provider_tx_id: Cashi's transaction id, present once settled.
        amount_from_webhook: Set by confirm given a webhook event when check-status carried no
            amount.
        is_settled: The status is SETTLED. Still compare the amount (confirm does).
        is_pending: The status is PENDING: the customer has not paid yet.
        is_expired: The status is EXPIRED: the order can no longer be paid.
        is_final: The status can no longer change on its own (SETTLED or EXPIRED).
    """

    order_id: str
    """The order's id."""

    status: str
    """PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent."""

    amount: int | None
    """The amount Cashi reports for the order (the amount paid, once settled)."""

    provider_tx_id: str | None
    """Cashi's transaction id, present once settled."""

    amount_from_webhook: bool
    """Set by confirm given a webhook event when check-status carried no amount."""

    is_settled: bool
    """The status is SETTLED. Still compare the amount (confirm does)."""

    is_pending: bool
    """The status is PENDING: the customer has not paid yet."""

    is_expired: bool
    """The status is EXPIRED: the order can no longer be paid."""

    is_final: bool
    """The status can no longer change on its own (SETTLED or EXPIRED)."""


@dataclass(frozen=True)
class WebhookEventFields:
    """A webhook event: verified, unless read with parse_unverified.

    Attributes:
        event: The event's name (PAYMENT_SETTLED).
        order_id: The order's id.
        status: The payment's status (SETTLED).
        amount: The amount paid; compare it with the amount stored at create-order time.
        payment_method: How the customer paid.
        paid_at: When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time).
        paid_at_time: paid_at as an instant at +07:00, when it is present and readable.
        transaction_id: Cashi's transaction id.
        is_test: A dashboard test (order id TEST-...): answer 200 and fulfil nothing.
        is_settled: PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling.
        is_verified: Its signature was verified; false when read with parse_unverified (a hint:
            confirm by order id).
    """

    event: str
    """The event's name (PAYMENT_SETTLED)."""

    order_id: str
    """The order's id."""

    status: str
    """The payment's status (SETTLED)."""

    amount: int
    """The amount paid; compare it with the amount stored at create-order time."""

    payment_method: str | None
    """How the customer paid."""

    paid_at: str | None
    """When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time)."""

    paid_at_time: datetime | None
    """paid_at as an instant at +07:00, when it is present and readable."""

    transaction_id: str | None
    """Cashi's transaction id."""

    is_test: bool
    """A dashboard test (order id TEST-...): answer 200 and fulfil nothing."""

    is_settled: bool
    """PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling."""

    is_verified: bool
    """Its signature was verified; false when read with parse_unverified (a hint: confirm by order
    id).
    """
