<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `signature_invalid`: The webhook signature does not match the raw body under any secret: answer 400 and do nothing.
 */
class SignatureVerificationException extends CashiException
{
    public const CODE = 'signature_invalid';
}
