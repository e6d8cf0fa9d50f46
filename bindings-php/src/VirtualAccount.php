<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Native;
use Cashi\Internal\VirtualAccountFields;
use FFI\CData;

/**
 * The virtual-account part of a VA order. Immutable; part of the record it came from, read with it.
 */
final class VirtualAccount
{
    use VirtualAccountFields;

    private function __construct()
    {
    }

    /**
     * @internal Read from libcashi's `cashi_virtual_account *`, which the record it is part of
     * owns.
     */
    public static function fromNative(CData $native): self
    {
        [$f, $address] = Native::slot('cashi_virtual_account_fields');
        Native::ffi()->cashi_virtual_account_get_fields($native, $address);
        $record = new self();
        $record->readFields($f);
        return $record;
    }

    /**
     * @internal Read from its part of the JSON view of the record it is part of.
     *
     * @param array<string, mixed> $data
     */
    public static function fromArray(array $data): self
    {
        $record = new self();
        $record->readArray($data);
        return $record;
    }

    /**
     * @internal A timestamp, made on its first read.
     */
    public function __get(string $name): mixed
    {
        if ($this->readLazy($name)) {
            return $this->{$name};
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return $this->isLazy($name);
    }
}
