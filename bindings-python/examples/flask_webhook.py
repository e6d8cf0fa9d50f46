"""A Flask shop taking QRIS payments with Cashi: create orders, receive the webhook.

Run it::

    export CASHI_API_KEY=CASHI-...            # Cashi dashboard -> API key
    export CASHI_WEBHOOK_SECRET=sk_...        # Cashi dashboard -> Settings -> Webhook
    flask --app flask_webhook:create_app run  # webhook URL: https://your.host/webhooks/cashi

The rules every webhook handler follows:

1. Verify the signature on the **raw** body (``request.get_data()``), never on parsed JSON.
2. Answer 200 to the dashboard's "Test Webhook" (``event.is_test``) and do nothing else.
3. Fulfil only after ``client.confirm(event, stored_amount)``: Cashi is asked again, and
   the amount must be the one stored when the order was created.
4. Fulfil once per order id: Cashi may deliver a webhook more than once, and a captured
   webhook can be replayed forever (its signature has no timestamp), while ``confirm``
   still passes. Store the order id as handled, and ignore repeats.
5. Answer 200 once handled (also for repeats); anything else makes Cashi retry later.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from typing import Any

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

import cashi

log = logging.getLogger("shop")


def create_app(client: cashi.Client | None = None, webhook: cashi.Webhook | None = None) -> Flask:
    """The shop. Without arguments, configured from CASHI_API_KEY and CASHI_WEBHOOK_SECRET."""
    app = Flask(__name__)
    client = client or cashi.Client()
    webhook = webhook or cashi.Webhook(os.environ["CASHI_WEBHOOK_SECRET"])
    # Your database: order id -> the amount to pay (with Cashi's unique code), and results.
    orders: dict[str, int] = {}
    handled: set[str] = set()  # order ids a settlement webhook was handled for
    fulfilled: set[str] = set()
    review: set[str] = set()
    shipments: list[str] = []  # what was shipped: once per order id
    lock = threading.Lock()  # in a database: a unique key on the order id, in a transaction
    app.config.update(ORDERS=orders, FULFILLED=fulfilled, REVIEW=review, SHIPMENTS=shipments)

    @app.post("/orders")
    def create_order() -> ResponseReturnValue:
        payload: dict[str, Any] = request.get_json(force=True)
        order_id = f"INV-{uuid.uuid4().hex[:12]}"
        try:
            order = client.create_order(payload["amount"], order_id=order_id)
        except cashi.InvalidRequestError as e:
            return jsonify(error=e.message), 400
        orders[order.order_id] = order.amount  # store the amount to pay: confirm needs it
        return jsonify(
            order_id=order.order_id, amount=order.amount, checkout_url=order.checkout_url
        ), 201

    @app.post("/webhooks/cashi")
    def cashi_webhook() -> ResponseReturnValue:
        try:
            event = webhook.verify_headers(request.get_data(), request.headers)
        except (cashi.SignatureVerificationError, cashi.WebhookPayloadError) as e:
            log.warning("refused a webhook: %s", e)
            return "invalid webhook", 400
        if event.is_test:
            return "test received", 200
        expected = orders.get(event.order_id)
        if expected is None or not event.is_settled:
            return "nothing to do", 200
        with lock:  # once per order id: a repeat (a retry, a replay) is acknowledged, nothing more
            if event.order_id in handled:
                return "already fulfilled", 200
            handled.add(event.order_id)
        try:
            # The event itself, not its id: if Cashi's answer lacks the amount, the SDK
            # compares the event's signed amount instead.
            client.confirm(event, expected_amount=expected)
        except cashi.PaymentMismatchError as e:
            log.error("payment does not match, not fulfilling: %s", e)
            review.add(event.order_id)
            return "payment mismatch recorded", 200
        except cashi.CashiError as e:
            log.warning("could not confirm %s yet: %s", event.order_id, e)
            with lock:
                handled.discard(event.order_id)  # not handled: the next delivery tries again
            return "try again later", 503  # Cashi retries the delivery
        fulfilled.add(event.order_id)
        shipments.append(event.order_id)  # ship the goods here
        return "fulfilled", 200

    return app


if __name__ == "__main__":
    create_app().run(port=int(os.environ.get("PORT", "5000")))
