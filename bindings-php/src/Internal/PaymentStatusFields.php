<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * An order's payment status, as check-status reports it. Its fields, from the core's schema
 * (core/src/model.rs), read by name from libcashi's `cashi_status_fields` (`readFields`) or from
 * the record's JSON view (`readArray`).
 *
 * @internal
 */
trait PaymentStatusFields
{
    /**
     * The order's id.
     */
    public readonly string $orderId;

    /**
     * PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent.
     */
    public readonly string $status;

    /**
     * The amount Cashi reports for the order (the amount paid, once settled). Null when absent.
     */
    public readonly ?int $amount;

    /**
     * Cashi's transaction id, present once settled. Null when absent.
     */
    public readonly ?string $providerTxId;

    /**
     * Set by confirm given a webhook event when check-status carried no amount.
     */
    public readonly bool $amountFromWebhook;

    private readonly bool $isSettled;

    private readonly bool $isPending;

    private readonly bool $isExpired;

    private readonly bool $isFinal;

    /**
     * The status is SETTLED. Still compare the amount (confirm does).
     */
    public function isSettled(): bool
    {
        return $this->isSettled;
    }

    /**
     * The status is PENDING: the customer has not paid yet.
     */
    public function isPending(): bool
    {
        return $this->isPending;
    }

    /**
     * The status is EXPIRED: the order can no longer be paid.
     */
    public function isExpired(): bool
    {
        return $this->isExpired;
    }

    /**
     * The status can no longer change on its own (SETTLED or EXPIRED).
     */
    public function isFinal(): bool
    {
        return $this->isFinal;
    }

    /**
     * Sets every field from libcashi's `cashi_status_fields`, by name.
     */
    private function readFields(CData $f): void
    {
        $this->orderId = $f->order_id;
        $this->status = $f->status;
        $this->amount = $f->has_amount ? $f->amount : null;
        $this->providerTxId = $f->provider_tx_id;
        $this->amountFromWebhook = $f->amount_from_webhook;
        $this->isSettled = $f->is_settled;
        $this->isPending = $f->is_pending;
        $this->isExpired = $f->is_expired;
        $this->isFinal = $f->is_final;
    }

    /**
     * Sets every field from the record's JSON view (`cashi_status_to_json`, decoded), by name.
     *
     * @param array<string, mixed> $data
     */
    private function readArray(array $data): void
    {
        $this->orderId = $data['order_id'];
        $this->status = $data['status'];
        $this->amount = $data['amount'] ?? null;
        $this->providerTxId = $data['provider_tx_id'] ?? null;
        $this->amountFromWebhook = $data['amount_from_webhook'];
        $this->isSettled = $data['is_settled'];
        $this->isPending = $data['is_pending'];
        $this->isExpired = $data['is_expired'];
        $this->isFinal = $data['is_final'];
    }

    /** No field of this record is read lazily. */
    private function readLazy(string $name): bool
    {
        return false;
    }

    /** No field of this record is read lazily. */
    private function isLazy(string $name): bool
    {
        return false;
    }
}
