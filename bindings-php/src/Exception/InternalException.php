<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `internal`: A bug in the SDK, or libcashi could not be loaded (NativeLibraryException).
 */
class InternalException extends CashiException
{
    public const CODE = 'internal';
}
