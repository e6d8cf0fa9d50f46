// Generated from core/src/webhook_answer.rs by tools/codegen (`cargo run -p cashi-codegen -- write`); do not edit.
//
// What a webhook handler answers Cashi for each outcome of a delivery, as the core declares
// it: the HTTP status Cashi sees, a short text, and the level it is logged at.

'use strict'

/** The signature header is missing or matches no webhook secret. */
const INVALID_SIGNATURE = Object.freeze({
  outcome: 'invalid_signature',
  status: 400,
  text: 'invalid signature',
  level: 'warning',
})

/** Correctly signed (or unsigned and allowed), but not a Cashi event. */
const INVALID_PAYLOAD = Object.freeze({
  outcome: 'invalid_payload',
  status: 400,
  text: 'invalid payload',
  level: 'warning',
})

/** A signed request to a handler made with no webhook secret (allow unsigned only). */
const NO_SECRET = Object.freeze({
  outcome: 'no_secret',
  status: 400,
  text: 'signed, but no webhook secret is configured',
  level: 'warning',
})

/** The dashboard's Test Webhook (an order id starting TEST-): no callback is called. */
const TEST_WEBHOOK = Object.freeze({
  outcome: 'test_webhook',
  status: 200,
  text: 'test webhook: nothing fulfilled',
  level: 'info',
})

/** Another event or status than a settled payment: no callback is called. */
const NOT_SETTLEMENT = Object.freeze({
  outcome: 'not_settlement',
  status: 200,
  text: 'not a settlement: ignored',
  level: 'info',
})

/** The already-fulfilled callback said yes: a repeat, answered without asking Cashi. */
const ALREADY_FULFILLED = Object.freeze({
  outcome: 'already_fulfilled',
  status: 200,
  text: 'already fulfilled',
  level: 'info',
})

/** The expected-amount callback knows no such order (Cashi delivers again later). */
const UNKNOWN_ORDER = Object.freeze({
  outcome: 'unknown_order',
  status: 404,
  text: 'unknown order',
  level: 'warning',
})

/** confirm refused the payment (payment_mismatch): not settled yet, or another amount. */
const NOT_CONFIRMED = Object.freeze({
  outcome: 'not_confirmed',
  status: 409,
  text: 'payment not confirmed: not fulfilled',
  level: 'warning',
})

/** confirm could not reach Cashi (a retryable error: network, timeout, 5xx, 429). */
const CONFIRM_UNAVAILABLE = Object.freeze({
  outcome: 'confirm_unavailable',
  status: 503,
  text: 'could not confirm the payment yet: retry later',
  level: 'warning',
})

/** confirm failed otherwise (a wrong API key, an answer not understood, ...). */
const CONFIRM_FAILED = Object.freeze({
  outcome: 'confirm_failed',
  status: 500,
  text: 'could not confirm the payment: retry later',
  level: 'error',
})

/** A merchant's callback failed, or the expected amount is not a whole number. */
const HANDLER_ERROR = Object.freeze({
  outcome: 'handler_error',
  status: 500,
  text: 'handler error: retry later',
  level: 'error',
})

/** Paid and confirmed with Cashi: the paid callback ran. */
const FULFILLED = Object.freeze({
  outcome: 'fulfilled',
  status: 200,
  text: 'fulfilled',
  level: 'info',
})

/** Every answer by its outcome. */
const ANSWERS = Object.freeze({
  invalid_signature: INVALID_SIGNATURE,
  invalid_payload: INVALID_PAYLOAD,
  no_secret: NO_SECRET,
  test_webhook: TEST_WEBHOOK,
  not_settlement: NOT_SETTLEMENT,
  already_fulfilled: ALREADY_FULFILLED,
  unknown_order: UNKNOWN_ORDER,
  not_confirmed: NOT_CONFIRMED,
  confirm_unavailable: CONFIRM_UNAVAILABLE,
  confirm_failed: CONFIRM_FAILED,
  handler_error: HANDLER_ERROR,
  fulfilled: FULFILLED,
})

/** The answer when `confirm` fails with an error of this code; any other error: `CONFIRM_FAILED`. */
const ANSWER_TO_FAILED_CONFIRM = Object.freeze({
  invalid_argument: CONFIRM_FAILED,
  authentication: CONFIRM_FAILED,
  not_found: CONFIRM_FAILED,
  conflict: CONFIRM_FAILED,
  rate_limited: CONFIRM_UNAVAILABLE,
  server: CONFIRM_UNAVAILABLE,
  api: CONFIRM_FAILED,
  timeout: CONFIRM_UNAVAILABLE,
  connection: CONFIRM_UNAVAILABLE,
  decode: CONFIRM_FAILED,
  signature_invalid: CONFIRM_FAILED,
  webhook_payload: CONFIRM_FAILED,
  payment_mismatch: NOT_CONFIRMED,
  internal: CONFIRM_FAILED,
})

module.exports = {
  INVALID_SIGNATURE,
  INVALID_PAYLOAD,
  NO_SECRET,
  TEST_WEBHOOK,
  NOT_SETTLEMENT,
  ALREADY_FULFILLED,
  UNKNOWN_ORDER,
  NOT_CONFIRMED,
  CONFIRM_UNAVAILABLE,
  CONFIRM_FAILED,
  HANDLER_ERROR,
  FULFILLED,
  ANSWERS,
  ANSWER_TO_FAILED_CONFIRM,
}
