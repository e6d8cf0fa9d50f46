<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Native;
use FFI\CData;

/**
 * An order's payment status as Cashi reported it. Immutable.
 */
final class PaymentStatus
{
    public const PENDING = 'PENDING';
    public const SETTLED = 'SETTLED';
    public const EXPIRED = 'EXPIRED';

    /** The status as Cashi sent it: PENDING, SETTLED, EXPIRED, or a word this SDK does not know. */
    public readonly string $status;
    /** The amount Cashi reports for the order (the amount paid, once settled), or null. */
    public readonly ?int $amount;
    public readonly string $orderId;
    /** Cashi's transaction id, present once settled. */
    public readonly ?string $providerTxId;
    /** @var array<string, mixed> Cashi's whole answer. */
    public readonly array $raw;
    private readonly bool $settled;
    private readonly bool $final;

    /**
     * @param array<string, mixed> $data as libcashi's cashi_status_to_json gives it
     * @internal
     */
    public function __construct(array $data)
    {
        $this->status = (string) $data['status'];
        $this->amount = $data['amount'] ?? null;
        $this->orderId = (string) $data['order_id'];
        $this->providerTxId = $data['provider_tx_id'] ?? null;
        $this->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        $this->settled = (bool) ($data['is_settled'] ?? false);
        $this->final = (bool) ($data['is_final'] ?? false);
    }

    /** @internal Copies a cashi_status into PHP values and frees it. */
    public static function take(CData $status): self
    {
        $ffi = Native::ffi();
        try {
            return new self(Native::decode((string) $ffi->cashi_status_to_json($status)));
        } finally {
            $ffi->cashi_status_free($status);
        }
    }

    /** SETTLED (still compare the amount, or use Client::confirm, before fulfilling). */
    public function isSettled(): bool
    {
        return $this->settled;
    }

    public function isPending(): bool
    {
        return $this->status === self::PENDING;
    }

    public function isExpired(): bool
    {
        return $this->status === self::EXPIRED;
    }

    /** SETTLED or EXPIRED: the payment can no longer change on its own. */
    public function isFinal(): bool
    {
        return $this->final;
    }
}
