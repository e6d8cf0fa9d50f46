<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * An order as Cashi created it. Its fields, from the core's schema (core/src/model.rs), read by
 * name from libcashi's `cashi_order_fields` (`readFields`) or from the record's JSON view
 * (`readArray`).
 *
 * @internal
 */
trait OrderFields
{
    /**
     * The order's id: the one given to create_order, or the one Cashi made.
     */
    public readonly string $orderId;

    /**
     * The amount to pay, with the unique code. Store it: the webhook carries it.
     */
    public readonly int $amount;

    /**
     * The amount that was asked for.
     */
    public readonly int $requestedAmount;

    /**
     * amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none).
     */
    public readonly int $uniqueCode;

    /**
     * Cashi's hosted payment page. Null when absent.
     */
    public readonly ?string $checkoutUrl;

    /**
     * The QR code as a data:image/png;base64 URI (QRIS orders). Null when absent.
     */
    public readonly ?string $qrUrl;

    /**
     * When the order stops being payable, at +07:00; absent if unknown. Made on first read.
     */
    public readonly ?\DateTimeImmutable $expiresAt;

    /**
     * The payment provider Cashi routed the order to. Null when absent.
     */
    public readonly ?string $provider;

    /**
     * Cashi's fee, as a percentage (e.g. 0.7). Null when absent.
     */
    public readonly ?float $fee;

    /**
     * What the merchant receives after the fee. Null when absent.
     */
    public readonly ?int $expectedNet;

    /**
     * Whether the order uses the merchant's own QRIS. Null when absent.
     */
    public readonly ?bool $isQrisCustom;

    /**
     * The virtual account to pay into (VA orders). Null when absent.
     */
    public readonly ?\Cashi\VirtualAccount $virtualAccount;

    /**
     * The payment code to pay at a store (retail orders). Null when absent.
     */
    public readonly ?\Cashi\RetailCode $retail;

    /** @var array<string, string> The timestamps not read yet, as RFC 3339 text, by property. */
    private array $unreadTimes = [];

    /**
     * Sets every field from libcashi's `cashi_order_fields`, by name.
     */
    private function readFields(CData $f): void
    {
        $this->orderId = $f->order_id;
        $this->amount = $f->amount;
        $this->requestedAmount = $f->requested_amount;
        $this->uniqueCode = $f->unique_code;
        $this->checkoutUrl = $f->checkout_url;
        $this->qrUrl = $f->qr_url;
        if (($text = $f->expires_at) === null) {
            $this->expiresAt = null;
        } else {
            $this->unreadTimes['expiresAt'] = $text;
            unset($this->expiresAt);
        }
        $this->provider = $f->provider;
        $this->fee = $f->has_fee ? $f->fee : null;
        $this->expectedNet = $f->has_expected_net ? $f->expected_net : null;
        $this->isQrisCustom = $f->has_is_qris_custom ? $f->is_qris_custom : null;
        $this->virtualAccount = $f->virtual_account === null ? null : \Cashi\VirtualAccount::fromNative($f->virtual_account);
        $this->retail = $f->retail === null ? null : \Cashi\RetailCode::fromNative($f->retail);
    }

    /**
     * Sets every field from the record's JSON view (`cashi_order_to_json`, decoded), by name.
     *
     * @param array<string, mixed> $data
     */
    private function readArray(array $data): void
    {
        $this->orderId = $data['order_id'];
        $this->amount = $data['amount'];
        $this->requestedAmount = $data['requested_amount'];
        $this->uniqueCode = $data['unique_code'];
        $this->checkoutUrl = $data['checkout_url'] ?? null;
        $this->qrUrl = $data['qr_url'] ?? null;
        if (($text = $data['expires_at'] ?? null) === null) {
            $this->expiresAt = null;
        } else {
            $this->unreadTimes['expiresAt'] = $text;
            unset($this->expiresAt);
        }
        $this->provider = $data['provider'] ?? null;
        $this->fee = isset($data['fee']) ? (float) $data['fee'] : null;
        $this->expectedNet = $data['expected_net'] ?? null;
        $this->isQrisCustom = $data['is_qris_custom'] ?? null;
        $this->virtualAccount = isset($data['virtual_account']) ? \Cashi\VirtualAccount::fromArray($data['virtual_account']) : null;
        $this->retail = isset($data['retail']) ? \Cashi\RetailCode::fromArray($data['retail']) : null;
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
