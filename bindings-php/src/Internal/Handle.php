<?php

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * Owns one libcashi handle and frees it exactly once, when the last PHP reference goes
 * (objects that share it, e.g. a cloned Client, share this Handle).
 *
 * @internal
 */
final class Handle
{
    private ?CData $pointer;

    public function __construct(CData $pointer, private readonly string $free)
    {
        $this->pointer = $pointer;
    }

    public function pointer(): CData
    {
        if ($this->pointer === null) {
            throw new \LogicException('libcashi handle used after it was freed');
        }
        return $this->pointer;
    }

    public function __destruct()
    {
        if ($this->pointer !== null) {
            $pointer = $this->pointer;
            $this->pointer = null;
            Native::ffi()->{$this->free}($pointer);
        }
    }

    public function __clone()
    {
        throw new \LogicException('a libcashi handle cannot be cloned');
    }
}
