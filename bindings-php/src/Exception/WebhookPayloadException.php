<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `webhook_payload`: A correctly signed webhook whose body is not the payload expected.
 */
class WebhookPayloadException extends CashiException
{
    public const CODE = 'webhook_payload';
}
