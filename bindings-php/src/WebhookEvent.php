<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Handle;
use FFI\CData;

/**
 * A webhook event: verified, unless read by Webhook::parseUnverified() (isVerified()).
 * Immutable. Answer 200 quickly; fulfil only after Client::confirm($event, $storedAmount)
 * succeeds, and never for a test webhook.
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
    private readonly bool $verified;

    /**
     * @internal Made by Webhook::verify() from the fields libcashi filled in with
     * cashi_event_get_fields; `raw` is PHP's own json_decode of the body that was just
     * verified, made the first time `raw` is read (most receivers never read it). The
     * verifier, signature or header lines are what Client::confirm() verifies again.
     */
    public function __construct(
        CData $fields,
        private readonly string $body,
        private readonly ?Webhook $verifiedBy = null,
        private readonly ?string $signature = null,
        private readonly ?string $headerLines = null,
    ) {
        $this->event = $fields->event;
        $this->orderId = $fields->order_id;
        $this->amount = $fields->amount;
        $this->status = $fields->status;
        $this->paymentMethod = $fields->payment_method;
        $this->paidAt = $fields->paid_at;
        $this->transactionId = $fields->transaction_id;
        $this->test = $fields->is_test;
        $this->settled = $fields->is_settled;
        $this->verified = $fields->is_verified;
        unset($this->raw); // decoded on first use, by __get
    }

    /** @internal Decodes `raw` from the verified body the first time it is read. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw') {
            $raw = json_decode($this->body, true);
            $this->raw = is_array($raw) ? $raw : [];
            return $this->raw;
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return $name === 'raw';
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

    /**
     * Whether the signature was verified: false for an event read by
     * Webhook::parseUnverified(), a hint that the order may be paid, which
     * Client::confirm() with the stored amount decides (by its order id alone).
     */
    public function isVerified(): bool
    {
        return $this->verified;
    }

    /**
     * @internal libcashi's event, verified again from what this one was verified from, for
     * Client::confirm(); null for an event Webhook::verify() did not make.
     */
    public function nativeEvent(): ?Handle
    {
        return $this->verifiedBy?->nativeEvent($this->body, $this->signature, $this->headerLines);
    }
}
