<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `timeout`: No answer in time (also waitForPayment at its deadline).
 */
class TimeoutException extends ConnectionException
{
    public const CODE = 'timeout';
}
