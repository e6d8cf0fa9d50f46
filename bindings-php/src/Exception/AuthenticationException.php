<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `authentication`: 401 or 403: the API key is missing, wrong or revoked.
 */
class AuthenticationException extends ApiException
{
    public const CODE = 'authentication';
}
