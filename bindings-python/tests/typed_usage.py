"""Checked by mypy --strict in test.sh (not run): the public API as a typed user sees it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import cashi


def sync_usage(client: cashi.Client, webhook: cashi.Webhook, raw: bytes, sig: str | None) -> int:
    order: cashi.Order = client.create_order(15000, order_id="INV-1", channel="BCA")
    amount: int = order.amount
    expires: datetime | None = order.expires_at
    png: bytes = order.qr_png()
    va: cashi.VirtualAccount | None = order.virtual_account
    status: cashi.PaymentStatus = client.check_status(order)
    settled: bool = status.is_settled
    client.wait_for_payment("INV-1", timeout=60)
    event: cashi.WebhookEvent = webhook.verify(raw, sig)
    event = webhook.verify_headers(raw, {"x-gateway-signature": "00"})
    event = webhook.verify_headers(raw, [("x-gateway-signature", "00")])
    try:
        client.confirm(event, expected_amount=amount)
    except cashi.PaymentMismatchError as e:
        actual: int | None = e.actual_amount
        reported: str = e.payment_status
        del actual, reported
    except cashi.CashiError as e:
        code: str = e.code
        http: int | None = e.status
        del code, http
    sig2: str = cashi.testing.sign("sk", raw)
    pending: bool = status.is_pending or status.is_expired or status.is_final
    waited: float = cashi.DEFAULT_WAIT
    statuses: list[cashi.PaymentStatus | cashi.CashiError] = client.check_statuses(["A", order])
    orders = client.create_orders([{"amount": 15000, "order_id": "INV-2"}, {"amount": 20000}])
    for result in orders:
        if isinstance(result, cashi.Order):
            amount = result.amount
    limit: int = cashi.MAX_BATCH_ITEMS - cashi.BATCH_IN_FLIGHT
    del expires, png, va, settled, sig2, pending, waited, statuses, limit
    return amount


def handler_usage(client: cashi.Client, raw: bytes, headers: dict[str, str]) -> int:
    stored: dict[str, int] = {"INV-1": 15023}

    def on_paid(order_id: str, amount: int, event: cashi.WebhookEvent) -> None:
        unsigned: bool = not event.is_verified
        del unsigned

    handler = cashi.WebhookHandler(
        "sk_x",
        client=client,
        expected_amount=stored.get,
        on_paid=on_paid,
        already_fulfilled=lambda order_id: False,
        allow_unsigned=True,
    )
    answer: cashi.WebhookResponse = handler.handle(raw, headers)
    event: cashi.WebhookEvent | None = answer.event
    hint: cashi.WebhookEvent = cashi.Webhook.parse_unverified(raw)
    del event, hint
    return answer.status


async def async_usage() -> cashi.PaymentStatus:
    async with cashi.AsyncClient("CASHI-KEY", base_url="http://127.0.0.1:1/api") as client:
        order = await client.create_order(15000)
        created: list[cashi.Order | cashi.CashiError] = await client.create_orders([])
        statuses = await client.check_statuses([order, "INV-1"])
        del created, statuses
        return await client.wait_for_payment(order, timeout=5.0)


def main() -> None:
    status = asyncio.run(async_usage())
    print(status.status, cashi.__version__)
