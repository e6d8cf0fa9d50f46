<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `decode`: A 2xx answer from Cashi that is not the JSON expected, or an order without a QR code.
 */
class DecodeException extends CashiException
{
    public const CODE = 'decode';
}
