<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `server`: 5xx from Cashi (or a CDN in front of it), after the retries were spent.
 */
class ServerException extends ApiException
{
    public const CODE = 'server';
}
