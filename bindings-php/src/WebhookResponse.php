<?php

declare(strict_types=1);

namespace Cashi;

/**
 * What WebhookHandler answers Cashi: an HTTP status and a short plain text (no secrets, no
 * details), and the event when the body could be read.
 */
final class WebhookResponse
{
    public function __construct(
        public readonly int $status,
        public readonly string $text,
        public readonly ?WebhookEvent $event = null,
    ) {
    }
}
