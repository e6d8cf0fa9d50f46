# Generated from core/src/webhook_answer.rs by tools/codegen, do not edit: after changing the
# answers, run `cargo run -p cashi-codegen -- write`.
"""What a webhook handler answers Cashi for each outcome of a delivery, as the core
declares it: the HTTP status Cashi sees, a short text, and the level it is logged at.
"""

from __future__ import annotations

import logging
from typing import Literal, NamedTuple

#: An outcome's stable name: ``WebhookResponse.outcome``.
WebhookOutcome = Literal[
    "invalid_signature",
    "invalid_payload",
    "no_secret",
    "test_webhook",
    "not_settlement",
    "already_fulfilled",
    "unknown_order",
    "not_confirmed",
    "confirm_unavailable",
    "confirm_failed",
    "handler_error",
    "fulfilled",
]


class Answer(NamedTuple):
    """One outcome of a delivery and what Cashi is told."""

    outcome: WebhookOutcome
    status: int
    text: str
    #: A :mod:`logging` level.
    level: int


#: The signature header is missing or matches no webhook secret.
INVALID_SIGNATURE = Answer(
    outcome="invalid_signature",
    status=400,
    text="invalid signature",
    level=logging.WARNING,
)

#: Correctly signed (or unsigned and allowed), but not a Cashi event.
INVALID_PAYLOAD = Answer(
    outcome="invalid_payload",
    status=400,
    text="invalid payload",
    level=logging.WARNING,
)

#: A signed request to a handler made with no webhook secret (allow unsigned only).
NO_SECRET = Answer(
    outcome="no_secret",
    status=400,
    text="signed, but no webhook secret is configured",
    level=logging.WARNING,
)

#: The dashboard's Test Webhook (an order id starting TEST-): no callback is called.
TEST_WEBHOOK = Answer(
    outcome="test_webhook",
    status=200,
    text="test webhook: nothing fulfilled",
    level=logging.INFO,
)

#: Another event or status than a settled payment: no callback is called.
NOT_SETTLEMENT = Answer(
    outcome="not_settlement",
    status=200,
    text="not a settlement: ignored",
    level=logging.INFO,
)

#: The already-fulfilled callback said yes: a repeat, answered without asking Cashi.
ALREADY_FULFILLED = Answer(
    outcome="already_fulfilled",
    status=200,
    text="already fulfilled",
    level=logging.INFO,
)

#: The expected-amount callback knows no such order (Cashi delivers again later).
UNKNOWN_ORDER = Answer(
    outcome="unknown_order",
    status=404,
    text="unknown order",
    level=logging.WARNING,
)

#: confirm refused the payment (payment_mismatch): not settled yet, or another amount.
NOT_CONFIRMED = Answer(
    outcome="not_confirmed",
    status=409,
    text="payment not confirmed: not fulfilled",
    level=logging.WARNING,
)

#: confirm could not reach Cashi (a retryable error: network, timeout, 5xx, 429).
CONFIRM_UNAVAILABLE = Answer(
    outcome="confirm_unavailable",
    status=503,
    text="could not confirm the payment yet: retry later",
    level=logging.WARNING,
)

#: confirm failed otherwise (a wrong API key, an answer not understood, ...).
CONFIRM_FAILED = Answer(
    outcome="confirm_failed",
    status=500,
    text="could not confirm the payment: retry later",
    level=logging.ERROR,
)

#: A merchant's callback failed, or the expected amount is not a whole number.
HANDLER_ERROR = Answer(
    outcome="handler_error",
    status=500,
    text="handler error: retry later",
    level=logging.ERROR,
)

#: Paid and confirmed with Cashi: the paid callback ran.
FULFILLED = Answer(
    outcome="fulfilled",
    status=200,
    text="fulfilled",
    level=logging.INFO,
)

#: Every answer by its outcome.
ANSWERS: dict[str, Answer] = {
    INVALID_SIGNATURE.outcome: INVALID_SIGNATURE,
    INVALID_PAYLOAD.outcome: INVALID_PAYLOAD,
    NO_SECRET.outcome: NO_SECRET,
    TEST_WEBHOOK.outcome: TEST_WEBHOOK,
    NOT_SETTLEMENT.outcome: NOT_SETTLEMENT,
    ALREADY_FULFILLED.outcome: ALREADY_FULFILLED,
    UNKNOWN_ORDER.outcome: UNKNOWN_ORDER,
    NOT_CONFIRMED.outcome: NOT_CONFIRMED,
    CONFIRM_UNAVAILABLE.outcome: CONFIRM_UNAVAILABLE,
    CONFIRM_FAILED.outcome: CONFIRM_FAILED,
    HANDLER_ERROR.outcome: HANDLER_ERROR,
    FULFILLED.outcome: FULFILLED,
}

#: The answer when ``confirm`` fails with an error of this code; any other exception:
#: ``CONFIRM_FAILED``.
ANSWER_TO_FAILED_CONFIRM: dict[str, Answer] = {
    "invalid_argument": CONFIRM_FAILED,
    "authentication": CONFIRM_FAILED,
    "not_found": CONFIRM_FAILED,
    "conflict": CONFIRM_FAILED,
    "rate_limited": CONFIRM_UNAVAILABLE,
    "server": CONFIRM_UNAVAILABLE,
    "api": CONFIRM_FAILED,
    "timeout": CONFIRM_UNAVAILABLE,
    "connection": CONFIRM_UNAVAILABLE,
    "decode": CONFIRM_FAILED,
    "signature_invalid": CONFIRM_FAILED,
    "webhook_payload": CONFIRM_FAILED,
    "payment_mismatch": NOT_CONFIRMED,
    "internal": CONFIRM_FAILED,
}
