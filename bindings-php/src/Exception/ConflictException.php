<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `conflict`: 409: the order id already exists.
 */
class ConflictException extends ApiException
{
    public const CODE = 'conflict';
}
