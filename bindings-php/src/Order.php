<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Exception\CashiException;
use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use Cashi\Internal\OrderFields;
use FFI;

/**
 * An order as Cashi created it. Immutable.
 *
 * Its fields (`$order->amount`, `$order->virtualAccount?->vaNumber`, ...) are the core's,
 * the same in every language: see Internal\OrderFields, generated from the core's schema.
 */
final class Order
{
    use OrderFields;

    /**
     * @var array<string, mixed> Cashi's whole answer, for fields newer than this SDK. Read
     * from libcashi on first use (it repeats the QR data URI, so it is not decoded unless
     * asked for); the same value every time.
     */
    public readonly array $raw;

    private function __construct(private readonly ?Handle $native)
    {
    }

    /**
     * @internal An order over a `cashi_order *` this object then shares ownership of. The
     * fields come through one cashi_order_get_fields call (one FFI call per field cost more
     * than the rest of the read): no cashi_order_to_json, which would encode the QR data
     * URI, most of the answer's bytes, for PHP to decode again.
     */
    public static function fromHandle(Handle $order): self
    {
        [$f, $address] = Native::slot('cashi_order_fields');
        Native::ffi()->cashi_order_get_fields($order->pointer(), $address); // one call, every field
        $self = new self($order);
        $self->readFields($f);
        unset($self->raw); // read on first use, by __get
        return $self;
    }

    /**
     * @internal An order from its JSON view (cashi_order_to_json, decoded), with `raw` when
     * given (else []); it has no native order, so no QR code to decode.
     *
     * @param array<string, mixed> $data
     */
    public static function fromArray(array $data): self
    {
        $self = new self(null);
        $self->readArray($data);
        $self->raw = is_array($data['raw'] ?? null) ? $data['raw'] : [];
        return $self;
    }

    /** @internal Reads `raw` from libcashi, and a timestamp, the first time each is used. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw' && $this->native !== null) {
            $this->raw = Native::decode((string) Native::ffi()->cashi_order_raw_json($this->native->pointer()));
            return $this->raw;
        }
        if ($this->readLazy($name)) {
            return $this->{$name};
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return ($name === 'raw' && $this->native !== null) || $this->isLazy($name);
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
