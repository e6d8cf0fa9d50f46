<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * A webhook event: verified, unless read with parse_unverified. Its fields, from the core's schema
 * (core/src/model.rs), read by name from libcashi's `cashi_event_fields` (`readFields`) or from the
 * record's JSON view (`readArray`).
 *
 * @internal
 */
trait WebhookEventFields
{
    /**
     * The event's name (PAYMENT_SETTLED).
     */
    public readonly string $event;

    /**
     * The order's id.
     */
    public readonly string $orderId;

    /**
     * The payment's status (SETTLED).
     */
    public readonly string $status;

    /**
     * The amount paid; compare it with the amount stored at create-order time.
     */
    public readonly int $amount;

    /**
     * How the customer paid. Null when absent.
     */
    public readonly ?string $paymentMethod;

    /**
     * When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time). Null when absent.
     */
    public readonly ?string $paidAt;

    /**
     * paid_at as an instant at +07:00, when it is present and readable. Made on first read.
     */
    public readonly ?\DateTimeImmutable $paidAtTime;

    /**
     * Cashi's transaction id. Null when absent.
     */
    public readonly ?string $transactionId;

    private readonly bool $isTest;

    private readonly bool $isSettled;

    private readonly bool $isVerified;

    /** @var array<string, string> The timestamps not read yet, as RFC 3339 text, by property. */
    private array $unreadTimes = [];

    /**
     * A dashboard test (order id TEST-...): answer 200 and fulfil nothing.
     */
    public function isTest(): bool
    {
        return $this->isTest;
    }

    /**
     * PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling.
     */
    public function isSettled(): bool
    {
        return $this->isSettled;
    }

    /**
     * Its signature was verified; false when read with parse_unverified (a hint: confirm by order
     * id).
     */
    public function isVerified(): bool
    {
        return $this->isVerified;
    }

    /**
     * Sets every field from libcashi's `cashi_event_fields`, by name.
     */
    private function readFields(CData $f): void
    {
        $this->event = $f->event;
        $this->orderId = $f->order_id;
        $this->status = $f->status;
        $this->amount = $f->amount;
        $this->paymentMethod = $f->payment_method;
        $this->paidAt = $f->paid_at;
        if (($text = $f->paid_at_time) === null) {
            $this->paidAtTime = null;
        } else {
            $this->unreadTimes['paidAtTime'] = $text;
            unset($this->paidAtTime);
        }
        $this->transactionId = $f->transaction_id;
        $this->isTest = $f->is_test;
        $this->isSettled = $f->is_settled;
        $this->isVerified = $f->is_verified;
    }

    /**
     * Sets every field from the record's JSON view (`cashi_event_to_json`, decoded), by name.
     *
     * @param array<string, mixed> $data
     */
    private function readArray(array $data): void
    {
        $this->event = $data['event'];
        $this->orderId = $data['order_id'];
        $this->status = $data['status'];
        $this->amount = $data['amount'];
        $this->paymentMethod = $data['payment_method'] ?? null;
        $this->paidAt = $data['paid_at'] ?? null;
        if (($text = $data['paid_at_time'] ?? null) === null) {
            $this->paidAtTime = null;
        } else {
            $this->unreadTimes['paidAtTime'] = $text;
            unset($this->paidAtTime);
        }
        $this->transactionId = $data['transaction_id'] ?? null;
        $this->isTest = $data['is_test'];
        $this->isSettled = $data['is_settled'];
        $this->isVerified = $data['is_verified'];
    }

    /** Makes a timestamp on its first read; false for any other name. */
    private function readLazy(string $name): bool
    {
        if (!isset($this->unreadTimes[$name])) {
            return false;
        }
        $this->{$name} = new \DateTimeImmutable($this->unreadTimes[$name]);
        unset($this->unreadTimes[$name]);
        return true;
    }

    /** Whether $name is a timestamp not read yet (it is set, not null). */
    private function isLazy(string $name): bool
    {
        return isset($this->unreadTimes[$name]);
    }
}
