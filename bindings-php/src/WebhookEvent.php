<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Handle;
use Cashi\Internal\WebhookEventFields;
use FFI\CData;

/**
 * A webhook event: verified, unless read by Webhook::parseUnverified() (isVerified()).
 * Immutable. Answer 200 quickly; fulfil only after Client::confirm($event, $storedAmount)
 * succeeds, and never for a test webhook.
 *
 * Its fields (`$event->orderId`, `$event->amount`, `$event->paidAtTime`, ...) and predicates
 * (`isTest()`, `isSettled()`, `isVerified()`) are the core's, the same in every language: see
 * Internal\WebhookEventFields, generated from the core's schema.
 */
final class WebhookEvent
{
    use WebhookEventFields;

    public const PAYMENT_SETTLED = 'PAYMENT_SETTLED';

    /** @var array<string, mixed> The whole body. */
    public readonly array $raw;

    /**
     * @internal Made by Webhook::verify() from the fields libcashi filled in with
     * cashi_event_get_fields; `raw` is PHP's own json_decode of the body that was just
     * verified, made the first time `raw` is read (most receivers never read it). The
     * verifier, signature or header lines are what Client::confirm() verifies again.
     */
    public function __construct(
        CData $fields,
        private readonly string $body,
        private readonly ?Webhook $verifiedBy = null,
        private readonly ?string $signature = null,
        private readonly ?string $headerLines = null,
    ) {
        $this->readFields($fields);
        unset($this->raw); // decoded on first use, by __get
    }

    /** @internal Decodes `raw` from the verified body, and makes a timestamp, when first read. */
    public function __get(string $name): mixed
    {
        if ($name === 'raw') {
            $raw = json_decode($this->body, true);
            $this->raw = is_array($raw) ? $raw : [];
            return $this->raw;
        }
        if ($this->readLazy($name)) {
            return $this->{$name};
        }
        trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);
        return null;
    }

    /** @internal */
    public function __isset(string $name): bool
    {
        return $name === 'raw' || $this->isLazy($name);
    }

    /**
     * @internal libcashi's event, verified again from what this one was verified from, for
     * Client::confirm(); null for an event Webhook::verify() did not make.
     */
    public function nativeEvent(): ?Handle
    {
        return $this->verifiedBy?->nativeEvent($this->body, $this->signature, $this->headerLines);
    }
}
