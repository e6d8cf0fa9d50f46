<?php

// Generated from core/src/webhook_answer.rs by tools/codegen
// (`cargo run -p cashi-codegen -- write`); do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

/**
 * What WebhookHandler answers Cashi for each outcome of a delivery, as the core declares it:
 * [outcome, HTTP status, text, PSR-3 level].
 *
 * @internal
 */
final class WebhookAnswers
{
    /** The signature header is missing or matches no webhook secret. */
    public const INVALID_SIGNATURE = ['invalid_signature', 400, 'invalid signature', 'warning'];

    /** Correctly signed (or unsigned and allowed), but not a Cashi event. */
    public const INVALID_PAYLOAD = ['invalid_payload', 400, 'invalid payload', 'warning'];

    /** A signed request to a handler made with no webhook secret (allow unsigned only). */
    public const NO_SECRET = ['no_secret', 400, 'signed, but no webhook secret is configured', 'warning'];

    /** The dashboard's Test Webhook (an order id starting TEST-): no callback is called. */
    public const TEST_WEBHOOK = ['test_webhook', 200, 'test webhook: nothing fulfilled', 'info'];

    /** Another event or status than a settled payment: no callback is called. */
    public const NOT_SETTLEMENT = ['not_settlement', 200, 'not a settlement: ignored', 'info'];

    /** The already-fulfilled callback said yes: a repeat, answered without asking Cashi. */
    public const ALREADY_FULFILLED = ['already_fulfilled', 200, 'already fulfilled', 'info'];

    /** The expected-amount callback knows no such order (Cashi delivers again later). */
    public const UNKNOWN_ORDER = ['unknown_order', 404, 'unknown order', 'warning'];

    /** confirm refused the payment (payment_mismatch): not settled yet, or another amount. */
    public const NOT_CONFIRMED = ['not_confirmed', 409, 'payment not confirmed: not fulfilled', 'warning'];

    /** confirm could not reach Cashi (a retryable error: network, timeout, 5xx, 429). */
    public const CONFIRM_UNAVAILABLE = ['confirm_unavailable', 503, 'could not confirm the payment yet: retry later', 'warning'];

    /** confirm failed otherwise (a wrong API key, an answer not understood, ...). */
    public const CONFIRM_FAILED = ['confirm_failed', 500, 'could not confirm the payment: retry later', 'error'];

    /** A merchant's callback failed, or the expected amount is not a whole number. */
    public const HANDLER_ERROR = ['handler_error', 500, 'handler error: retry later', 'error'];

    /** Paid and confirmed with Cashi: the paid callback ran. */
    public const FULFILLED = ['fulfilled', 200, 'fulfilled', 'info'];

    /** Every answer by its outcome. */
    public const BY_OUTCOME = [
        'invalid_signature' => self::INVALID_SIGNATURE,
        'invalid_payload' => self::INVALID_PAYLOAD,
        'no_secret' => self::NO_SECRET,
        'test_webhook' => self::TEST_WEBHOOK,
        'not_settlement' => self::NOT_SETTLEMENT,
        'already_fulfilled' => self::ALREADY_FULFILLED,
        'unknown_order' => self::UNKNOWN_ORDER,
        'not_confirmed' => self::NOT_CONFIRMED,
        'confirm_unavailable' => self::CONFIRM_UNAVAILABLE,
        'confirm_failed' => self::CONFIRM_FAILED,
        'handler_error' => self::HANDLER_ERROR,
        'fulfilled' => self::FULFILLED,
    ];

    /** The answer when confirm fails with an error of this code; any other: CONFIRM_FAILED. */
    public const TO_FAILED_CONFIRM = [
        'invalid_argument' => self::CONFIRM_FAILED,
        'authentication' => self::CONFIRM_FAILED,
        'not_found' => self::CONFIRM_FAILED,
        'conflict' => self::CONFIRM_FAILED,
        'rate_limited' => self::CONFIRM_UNAVAILABLE,
        'server' => self::CONFIRM_UNAVAILABLE,
        'api' => self::CONFIRM_FAILED,
        'timeout' => self::CONFIRM_UNAVAILABLE,
        'connection' => self::CONFIRM_UNAVAILABLE,
        'decode' => self::CONFIRM_FAILED,
        'signature_invalid' => self::CONFIRM_FAILED,
        'webhook_payload' => self::CONFIRM_FAILED,
        'payment_mismatch' => self::NOT_CONFIRMED,
        'internal' => self::CONFIRM_FAILED,
    ];
}
