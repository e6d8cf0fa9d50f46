<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Exception\CashiException;
use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use FFI;

/**
 * An order as Cashi created it. Immutable.
 */
final class Order
{
    /** Your order id, or the one Cashi chose. */
    public readonly string $orderId;
    /** The amount to pay, with Cashi's unique code (15000 asked → e.g. 15023). Store it. */
    public readonly int $amount;
    /** The amount that was asked for. */
    public readonly int $requestedAmount;
    /** amount - requestedAmount: 1–99 for QRIS, 0 where Cashi adds none. */
    public readonly int $uniqueCode;
    /** The checkout page (https://cashi.id/pay/...), or null (QRIS Custom). */
    public readonly ?string $checkoutUrl;
    /** The QR image as a data:image/png;base64 URI, or null (VA, retail). See qrPng(). */
    public readonly ?string $qrUrl;
    /** When the order stops being payable (Jakarta time, +07:00), or null if unknown. */
    public readonly ?\DateTimeImmutable $expiresAt;
    /** CASHI, VA or RETAIL, or null. */
    public readonly ?string $provider;
    /** Cashi's fee as a percentage (e.g. 0.7), or null. */
    public readonly ?float $fee;
    /** The net amount after fees (QRIS Custom, VA), or null. */
    public readonly ?int $expectedNet;
    /**
     * True for an order on your own QRIS (channel QRIS_CUSTOM), false when Cashi says it is
     * not, null when Cashi did not say.
     */
    public readonly ?bool $isQrisCustom;
    /** Virtual-account orders: the account number and bank. */
    public readonly ?string $vaNumber;
    public readonly ?string $bank;
    public readonly ?string $bankName;
    public readonly ?int $totalAmount;
    public readonly ?int $adminFee;
    public readonly ?string $kodeChannel;
    /** Retail (Alfamart, Indomaret) orders: the payment code. */
    public readonly ?string $paymentCode;
    public readonly ?string $retailCode;
    public readonly ?string $retailName;
    /**
     * @var array<string, mixed> Cashi's whole answer, for fields newer than this SDK. Read
     * from libcashi on first use (it repeats the QR data URI, so it is not decoded unless
     * asked for); the same value every time.
     */
    public readonly array $raw;

    /**
     * @param array<string, mixed> $data the order's fields, as cashi_order_to_json names them;
     *        without raw, it is read through $native on first use (or [] without $native)
     * @internal made by Client::createOrder
     */
    public function __construct(array $data, private readonly ?Handle $native = null)
    {
        $va = is_array($data['virtual_account'] ?? null) ? $data['virtual_account'] : [];
        $retail = is_array($data['retail'] ?? null) ? $data['retail'] : [];
        $this->orderId = (string) $data['order_id'];
        $this->amount = (int) $data['amount'];
        $this->requestedAmount = (int) $data['requested_amount'];
        $this->uniqueCode = (int) $data['unique_code'];
        $this->checkoutUrl = $data['checkout_url'] ?? null;
        $this->qrUrl = $data['qr_url'] ?? null;
        $this->expiresAt = isset($data['expires_at']) ? new \DateTimeImmutable($data['expires_at']) : null;
        $this->provider = $data['provider'] ?? null;
        $this->fee = isset($data['fee']) ? (float) $data['fee'] : null;
        $this->expectedNet = $data['expected_net'] ?? null;
        $this->isQrisCustom = $data['is_qris_custom'] ?? null;
        $this->vaNumber = $va['va_number'] ?? null;
        $this->bank = $va['bank'] ?? null;
        $this->bankName = $va['bank_name'] ?? null;
        $this->totalAmount = $va['total_amount'] ?? null;
        $this->adminFee = $va['admin_fee'] ?? null;
        $this->kodeChannel = $va['kode_channel'] ?? null;
        $this->paymentCode = $retail['payment_code'] ?? null;
        $this->retailCode = $retail['retail_code'] ?? null;
        $this->retailName = $retail['retail_name'] ?? null;
        if (array_key_exists('raw', $data) || $native === null) {
            $this->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        } else {
            unset($this->raw); // read on first use, by __get
        }
    }

    /**
     * @internal An order over a `cashi_order *` this object then shares ownership of. The
     * typed fields come through one cashi_order_get_fields call (one FFI call per field cost
     * more than the rest of the read): no cashi_order_to_json, which would encode the QR
     * data URI, most of the answer's bytes, for PHP to decode again.
     */
    public static function fromHandle(Handle $order): self
    {
        [$f, $address] = Native::slot('cashi_order_fields');
        Native::ffi()->cashi_order_get_fields($order->pointer(), $address); // one call, every field
        $data = [
            'order_id' => $f->order_id,
            'amount' => $f->amount,
            'requested_amount' => $f->requested_amount,
            'unique_code' => $f->unique_code,
            'checkout_url' => $f->checkout_url,
            'qr_url' => $f->qr_url,
            'expires_at' => $f->expires_at,
            'provider' => $f->provider,
            'fee' => $f->has_fee ? $f->fee : null,
            'expected_net' => $f->has_expected_net ? $f->expected_net : null,
            'is_qris_custom' => $f->has_is_qris_custom ? $f->is_qris_custom : null,
            'virtual_account' => $f->virtual_account === null ? null : self::virtualAccount($f->virtual_account),
            'retail' => $f->retail === null ? null : self::retail($f->retail),
        ];
        return new self($data, $order);
    }

    /** @return array<string, mixed> */
    private static function virtualAccount(FFI\CData $va): array
    {
        [$f, $address] = Native::slot('cashi_virtual_account_fields');
        Native::ffi()->cashi_virtual_account_get_fields($va, $address);
        return [
            'va_number' => $f->va_number,
            'bank' => $f->bank,
            'bank_name' => $f->bank_name,
            'total_amount' => $f->has_total_amount ? $f->total_amount : null,
            'admin_fee' => $f->has_admin_fee ? $f->admin_fee : null,
            'kode_channel' => $f->kode_channel,
        ];
    }

    /** @return array<string, mixed> */
    private static function retail(FFI\CData $retail): array
    {
        [$f, $address] = Native::slot('cashi_retail_code_fields');
        Native::ffi()->cashi_retail_code_get_fields($retail, $address);
        return [
            'payment_code' => $f->payment_code,
            'retail_code' => $f->retail_code,
            'retail_name' => $f->retail_name,
        ];
    }

    /** @internal Reads `raw` from libcashi the first time it is used. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw' && $this->native !== null) {
            $this->raw = Native::decode((string) Native::ffi()->cashi_order_raw_json($this->native->pointer()));
            return $this->raw;
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return match ($name) {
            'raw' => $this->native !== null,
            default => false,
        };
    }

    /**
     * The QR code as PNG bytes (decoded from qrUrl), e.g. to save or to send with
     * `header('Content-Type: image/png')`.
     *
     * @throws CashiException DecodeException when the order has no QR code (VA, retail)
     */
    public function qrPng(): string
    {
        if ($this->native === null) {
            throw new Exception\DecodeException("order {$this->orderId} was not made by Client::createOrder; it has no QR code to decode");
        }
        $ffi = Native::ffi();
        $png = $ffi->new('const uint8_t*');
        $len = $ffi->new('size_t');
        Native::check($ffi->cashi_order_qr_png($this->native->pointer(), FFI::addr($png), FFI::addr($len), Native::errorOut()));
        return FFI::string($png, $len->cdata);
    }
}
