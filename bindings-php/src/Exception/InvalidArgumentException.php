<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `invalid_argument`: The SDK refused an argument before sending anything; the message names the field.
 */
class InvalidArgumentException extends CashiException
{
    public const CODE = 'invalid_argument';
}
