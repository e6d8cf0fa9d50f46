<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `connection`: No connection could be made to Cashi, or it broke before an answer arrived.
 */
class ConnectionException extends CashiException
{
    public const CODE = 'connection';
}
