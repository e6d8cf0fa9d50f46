<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `rate_limited`: 429: too many requests, after the retries were spent.
 */
class RateLimitException extends CashiException
{
    public const CODE = 'rate_limited';
}
