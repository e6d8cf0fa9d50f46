<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Handle;
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

    /**
     * The status as Cashi sent it: PENDING, SETTLED, EXPIRED, or a word this SDK does not know
     * (another letter case, `settled`, is one of those: neither settled nor final).
     */
    public readonly string $status;
    /** The amount Cashi reports for the order (the amount paid, once settled), or null. */
    public readonly ?int $amount;
    public readonly string $orderId;
    /** Cashi's transaction id, present once settled. */
    public readonly ?string $providerTxId;
    /**
     * True only from Client::confirm() given a verified WebhookEvent when Cashi's answer said
     * SETTLED without an amount: $amount is then the webhook's signed amount.
     */
    public readonly bool $amountFromWebhook;
    /**
     * @var array<string, mixed> Cashi's whole answer. Read from libcashi on first use; the
     * same value every time.
     */
    public readonly array $raw;
    private readonly bool $settled;
    private readonly bool $final;

    /**
     * @param array<string, mixed> $data the status's fields, as cashi_status_to_json names
     *        them; without raw, it is read through $native on first use (or [] without
     *        $native)
     * @internal
     */
    public function __construct(array $data, private readonly ?Handle $native = null)
    {
        $this->status = (string) $data['status'];
        $this->amount = $data['amount'] ?? null;
        $this->orderId = (string) $data['order_id'];
        $this->providerTxId = $data['provider_tx_id'] ?? null;
        $this->amountFromWebhook = (bool) ($data['amount_from_webhook'] ?? false);
        if (array_key_exists('raw', $data) || $native === null) {
            $this->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        } else {
            unset($this->raw); // read on first use, by __get
        }
        $this->settled = (bool) ($data['is_settled'] ?? false);
        $this->final = (bool) ($data['is_final'] ?? false);
    }

    /**
     * @internal Copies a cashi_status's typed fields into PHP values; the status is kept
     * (and freed with this object) for `raw`.
     */
    public static function take(CData $status): self
    {
        return self::fromHandle(new Handle($status, 'cashi_status_free'));
    }

    /**
     * @internal A status over a `cashi_status *` this object then shares ownership of. The
     * typed fields come through one cashi_status_get_fields call.
     */
    public static function fromHandle(Handle $status): self
    {
        [$f, $address] = Native::slot('cashi_status_fields');
        Native::ffi()->cashi_status_get_fields($status->pointer(), $address); // one call, every field
        return new self([
            'status' => $f->status,
            'amount' => $f->has_amount ? $f->amount : null,
            'order_id' => $f->order_id,
            'provider_tx_id' => $f->provider_tx_id,
            'is_settled' => $f->is_settled,
            'is_final' => $f->is_final,
            'amount_from_webhook' => $f->amount_from_webhook,
        ], $status);
    }

    /** @internal Reads `raw` from libcashi the first time it is used. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw' && $this->native !== null) {
            $this->raw = Native::decode((string) Native::ffi()->cashi_status_raw_json($this->native->pointer()));
            return $this->raw;
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return $name === 'raw' && $this->native !== null;
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
