<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `rate_limited`: 429: too many requests, after the retries were spent.
 */
class RateLimitException extends ApiException
{
    public const CODE = 'rate_limited';
}
