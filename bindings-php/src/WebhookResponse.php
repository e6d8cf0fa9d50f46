<?php

declare(strict_types=1);

namespace Cashi;

/**
 * What WebhookHandler answers Cashi: an HTTP status and a short plain text (no secrets, no
 * details), the outcome's stable name, and the event when the body could be read.
 */
final class WebhookResponse
{
    /**
     * @param string $outcome the outcome's stable name ('fulfilled', 'already_fulfilled',
     *        'invalid_signature', ...): what to count or branch on, rather than the text
     */
    public function __construct(
        public readonly int $status,
        public readonly string $text,
        public readonly string $outcome,
        public readonly ?WebhookEvent $event = null,
    ) {
    }
}
