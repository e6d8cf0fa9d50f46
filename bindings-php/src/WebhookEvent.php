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
     * @param array<string, mixed> $data the event's fields, as cashi_event_to_json names them,
     *        and `raw`; or without `raw` and with $body, which is then decoded on first use
     * @internal
     */
    public function __construct(array $data, private readonly ?string $body = null)
    {
        $this->event = (string) $data['event'];
        $this->orderId = (string) $data['order_id'];
        $this->amount = (int) $data['amount'];
        $this->status = (string) $data['status'];
        $this->paymentMethod = $data['payment_method'] ?? null;
        $this->paidAt = $data['paid_at'] ?? null;
        $this->transactionId = $data['transaction_id'] ?? null;
        if (array_key_exists('raw', $data) || $body === null) {
            $this->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        } else {
            unset($this->raw); // decoded on first use, by __get
        }
        $this->test = (bool) ($data['is_test'] ?? false);
        $this->settled = (bool) ($data['is_settled'] ?? false);
    }

    /**
     * @internal Copies a cashi_event into PHP values and frees it. The typed fields come
     * through one cashi_event_get_fields call; `raw` is PHP's own json_decode of the body that
     * was just verified, made the first time `raw` is read (most receivers never read it).
     */
    public static function take(CData $event, string $body): self
    {
        $ffi = Native::ffi();
        [$fields, $fieldsAddress] = Native::slot('cashi_event_fields');
        try {
            // One call for every field (nine accessor calls cost a third of a verify).
            $ffi->cashi_event_get_fields($event, $fieldsAddress);
            return new self([
                'event' => $fields->event,
                'order_id' => $fields->order_id,
                'amount' => $fields->amount,
                'status' => $fields->status,
                'payment_method' => $fields->payment_method,
                'paid_at' => $fields->paid_at,
                'transaction_id' => $fields->transaction_id,
                'is_test' => $fields->is_test,
                'is_settled' => $fields->is_settled,
            ], $body);
        } finally {
            $ffi->cashi_event_free($event);
        }
    }

    /** @internal Decodes `raw` from the verified body the first time it is read. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw' && $this->body !== null) {
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
        return $name === 'raw' && $this->body !== null;
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
