<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use Cashi\Internal\PaymentStatusFields;
use FFI\CData;

/**
 * An order's payment status as Cashi reported it. Immutable.
 *
 * Its fields (`$status->status`, `$status->amount`, ...) and predicates (`isSettled()`,
 * `isPending()`, `isExpired()`, `isFinal()`) are the core's, the same in every language:
 * see Internal\PaymentStatusFields, generated from the core's schema.
 */
final class PaymentStatus
{
    use PaymentStatusFields;

    public const PENDING = 'PENDING';
    public const SETTLED = 'SETTLED';
    public const EXPIRED = 'EXPIRED';

    /**
     * @var array<string, mixed> Cashi's whole answer. Read from libcashi on first use; the
     * same value every time.
     */
    public readonly array $raw;

    private function __construct(private readonly ?Handle $native)
    {
    }

    /**
     * @internal Copies a cashi_status's fields into PHP values; the status is kept (and
     * freed with this object) for `raw`.
     */
    public static function take(CData $status): self
    {
        return self::fromHandle(new Handle($status, 'cashi_status_free'));
    }

    /**
     * @internal A status over a `cashi_status *` this object then shares ownership of. The
     * fields come through one cashi_status_get_fields call.
     */
    public static function fromHandle(Handle $status): self
    {
        [$f, $address] = Native::slot('cashi_status_fields');
        Native::ffi()->cashi_status_get_fields($status->pointer(), $address); // one call, every field
        $self = new self($status);
        $self->readFields($f);
        unset($self->raw); // read on first use, by __get
        return $self;
    }

    /**
     * @internal A status from its JSON view (cashi_status_to_json, decoded), with `raw` when
     * given (else []).
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

    /** @internal Reads `raw` from libcashi the first time it is used. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw' && $this->native !== null) {
            $this->raw = Native::decode((string) Native::ffi()->cashi_status_raw_json($this->native->pointer()));
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
}
