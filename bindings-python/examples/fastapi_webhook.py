"""A FastAPI shop taking QRIS payments with Cashi, on the asyncio client.

Run it::

    export CASHI_API_KEY=CASHI-... CASHI_WEBHOOK_SECRET=sk_...
    uvicorn --factory fastapi_webhook:create_app   # webhook URL: https://your.host/webhooks/cashi

The handler reads the **raw** body (``await request.body()``) for the signature, answers
the dashboard's test webhook with 200, fulfils only after ``confirm`` with the amount
stored at create-order time, and only once per order id: Cashi may deliver a webhook more
than once, and a captured one can be replayed (its signature has no timestamp).
"""

from __future__ import annotations

import logging
import os
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

import cashi

log = logging.getLogger("shop")


class NewOrder(BaseModel):
    amount: int


class State:
    """Your database: order id -> amount to pay, and what happened to each order."""

    def __init__(self) -> None:
        self.orders: dict[str, int] = {}
        self.handled: set[str] = set()  # order ids a settlement webhook was handled for
        self.fulfilled: set[str] = set()
        self.review: set[str] = set()
        self.shipments: list[str] = []  # what was shipped: once per order id


def create_app(
    client: cashi.AsyncClient | None = None, webhook: cashi.Webhook | None = None
) -> FastAPI:
    """The shop. Without arguments, configured from CASHI_API_KEY and CASHI_WEBHOOK_SECRET."""
    api = FastAPI()
    cashi_client = client or cashi.AsyncClient()
    verifier = webhook or cashi.Webhook(os.environ["CASHI_WEBHOOK_SECRET"])
    state = State()
    api.state.shop = state

    @api.post("/orders", status_code=201)
    async def create_order(new: NewOrder) -> JSONResponse:
        try:
            order = await cashi_client.create_order(
                new.amount, order_id=f"INV-{uuid.uuid4().hex[:12]}"
            )
        except cashi.InvalidRequestError as e:
            return JSONResponse({"error": e.message}, status_code=400)
        state.orders[order.order_id] = order.amount  # store it: confirm needs it
        return JSONResponse(
            {
                "order_id": order.order_id,
                "amount": order.amount,
                "checkout_url": order.checkout_url,
            },
            status_code=201,
        )

    @api.post("/webhooks/cashi")
    async def cashi_webhook(request: Request) -> PlainTextResponse:
        raw_body = await request.body()  # the exact bytes Cashi signed
        try:
            event = verifier.verify_headers(raw_body, request.headers)
        except (cashi.SignatureVerificationError, cashi.WebhookPayloadError) as e:
            log.warning("refused a webhook: %s", e)
            return PlainTextResponse("invalid webhook", status_code=400)
        if event.is_test:
            return PlainTextResponse("test received")
        expected = state.orders.get(event.order_id)
        if expected is None or not event.is_settled:
            return PlainTextResponse("nothing to do")
        # Once per order id (checked and marked with no await between: one task at a time).
        if event.order_id in state.handled:
            return PlainTextResponse("already fulfilled")  # a retry or a replay
        state.handled.add(event.order_id)
        try:
            await cashi_client.confirm(event, expected_amount=expected)
        except cashi.PaymentMismatchError as e:
            log.error("payment does not match, not fulfilling: %s", e)
            state.review.add(event.order_id)
            return PlainTextResponse("payment mismatch recorded")
        except cashi.CashiError as e:
            log.warning("could not confirm %s yet: %s", event.order_id, e)
            state.handled.discard(event.order_id)  # not handled: the next delivery tries again
            return PlainTextResponse("try again later", status_code=503)
        state.fulfilled.add(event.order_id)
        state.shipments.append(event.order_id)  # ship the goods here
        return PlainTextResponse("fulfilled")

    return api


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), port=int(os.environ.get("PORT", "8000")))
