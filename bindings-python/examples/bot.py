"""Sell something from a chat bot: create an order, send the QR, wait for the payment.

::

    export CASHI_API_KEY=CASHI-...
    python bot.py 15000 --qr qr.png

A Telegram or WhatsApp bot does the same in its message handler: send ``qr.png`` (or the
checkout link) to the customer, then wait. For many customers at once, use
``cashi.AsyncClient`` and ``await client.wait_for_payment(...)`` instead.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

import cashi


def sell(client: cashi.Client, amount: int, qr_path: Path, timeout: float) -> bool:
    """Creates the order, saves its QR, waits; True once paid in full."""
    order = client.create_order(amount, order_id=f"BOT-{uuid.uuid4().hex[:12]}")
    qr_path.write_bytes(order.qr_png())
    print(f"order {order.order_id}: pay Rp {order.amount:,} (QR in {qr_path})", flush=True)
    print(f"or open {order.checkout_url}", flush=True)
    try:
        status = client.wait_for_payment(order, timeout=timeout)
    except cashi.APITimeoutError:
        print("no payment in time", flush=True)
        return False
    if not status.is_settled:
        print(f"order {status.status.lower()}", flush=True)
        return False
    try:
        client.confirm(order, expected_amount=order.amount)
    except cashi.PaymentMismatchError as e:
        print(f"payment does not match: {e.message}", flush=True)
        return False
    print(f"paid: Rp {status.amount:,}, transaction {status.provider_tx_id}", flush=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("amount", type=int, help="whole rupiah, e.g. 15000")
    parser.add_argument("--qr", type=Path, default=Path("qr.png"), help="where to save the QR")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait")
    args = parser.parse_args()
    try:
        paid = sell(cashi.Client(), args.amount, args.qr, args.timeout)
    except cashi.CashiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0 if paid else 1


if __name__ == "__main__":
    sys.exit(main())
