<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * libcashi could not be loaded: PHP's FFI extension is missing or disabled, or the library
 * is not where the package looks. The message says exactly what to install or set.
 * Its error code is `internal`.
 */
class NativeLibraryException extends InternalException
{
}
