<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `timeout`: No answer in time (also waitForPayment at its deadline).
 */
class TimeoutException extends CashiException
{
    public const CODE = 'timeout';
}
