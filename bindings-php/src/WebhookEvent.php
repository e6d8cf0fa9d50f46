<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Native;
use FFI\CData;

/**
 * A verified webhook. Immutable. Answer 200 quickly; fulfil only after
 * Client::confirm($event, $storedAmount) succeeds, and never for a test webhook.
 */
final class WebhookEvent
{
    public const PAYMENT_SETTLED = 'PAYMENT_SETTLED';

    /** The event name as sent: PAYMENT_SETTLED, or a name this SDK does not know. */
    public readonly string $event;
    public readonly string $orderId;
    /** The amount paid; compare it with the amount stored at create-order time. */
    public readonly int $amount;
    /** The payment status as sent (SETTLED, ...). */
    public readonly string $status;
    public readonly ?string $paymentMethod;
    /** "YYYY-MM-DD HH:MM:SS", Jakarta time, as sent. */
    public readonly ?string $paidAt;
    public readonly ?string $transactionId;
    /** @var array<string, mixed> The whole body. */
    public readonly array $raw;
    private readonly bool $test;
    private readonly bool $settled;

    /**
     * @param array<string, mixed> $data as libcashi's cashi_event_to_json gives it
     * @internal
     */
    public function __construct(array $data)
    {
        $this->event = (string) $data['event'];
        $this->orderId = (string) $data['order_id'];
        $this->amount = (int) $data['amount'];
        $this->status = (string) $data['status'];
        $this->paymentMethod = $data['payment_method'] ?? null;
        $this->paidAt = $data['paid_at'] ?? null;
        $this->transactionId = $data['transaction_id'] ?? null;
        $this->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        $this->test = (bool) ($data['is_test'] ?? false);
        $this->settled = (bool) ($data['is_settled'] ?? false);
    }

    /** @internal Copies a cashi_event into PHP values and frees it. */
    public static function take(CData $event): self
    {
        $ffi = Native::ffi();
        try {
            return new self(Native::decode((string) $ffi->cashi_event_to_json($event)));
        } finally {
            $ffi->cashi_event_free($event);
        }
    }

    /** The dashboard's "Test Webhook" (order id TEST-...): answer 200 and fulfil nothing. */
    public function isTest(): bool
    {
        return $this->test;
    }

    /** PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling. */
    public function isSettled(): bool
    {
        return $this->settled;
    }
}
