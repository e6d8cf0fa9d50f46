<?php

declare(strict_types=1);

namespace Cashi\Internal;

use Cashi\Exception\InvalidArgumentException;
use FFI;
use FFI\CData;

/**
 * Hands what the SDK did (libcashi's events: one per HTTP attempt, per finished call, per
 * webhook verification) to the `logger` and `on_response` options after each call.
 *
 * libcashi keeps a call's events and PHP takes them once the call returns, rather than
 * being called back during it: a PHP closure made into a C function pointer leaks until
 * the end of the request and may not throw. Without a logger or on_response, libcashi
 * keeps nothing and no event is built.
 *
 * A logger or on_response that throws does not change the call's outcome (a created order
 * must not look like a failure, or it would be created twice): the exception is written to
 * PHP's error_log and the next event is delivered.
 *
 * @internal
 */
final class Events
{
    private function __construct(
        private readonly ?object $logger,
        private readonly ?\Closure $onResponse,
    ) {
    }

    /**
     * The receivers the options name, or null when there is none.
     *
     * @param array<string, mixed> $options
     * @throws InvalidArgumentException for a logger without log(), or an on_response that is not callable
     */
    public static function fromOptions(array $options): ?self
    {
        $logger = $options['logger'] ?? null;
        if ($logger !== null && !(is_object($logger) && is_callable([$logger, 'log']))) {
            throw new InvalidArgumentException(
                'logger: expected a PSR-3 logger (an object with a log($level, $message, array $context) method, '
                . 'e.g. Monolog\'s Logger), got ' . Native::describe($logger)
            );
        }
        $onResponse = $options['on_response'] ?? null;
        if ($onResponse !== null && !is_callable($onResponse)) {
            throw new InvalidArgumentException(
                'on_response: expected a callable taking an attempt\'s fields (an array), got ' . Native::describe($onResponse)
            );
        }
        if ($logger === null && $onResponse === null) {
            return null;
        }
        return new self($logger, $onResponse === null ? null : \Closure::fromCallable($onResponse));
    }

    /** Delivers the events a client kept during its last call. */
    public function fromClient(CData $client): void
    {
        $this->deliver(Native::ffi()->cashi_client_take_events($client));
    }

    /** Delivers the events a verifier kept during its last verification. */
    public function fromWebhook(CData $webhook): void
    {
        $this->deliver(Native::ffi()->cashi_webhook_take_events($webhook));
    }

    /** Drops a verifier's kept events (a verification repeated for Client::confirm()). */
    public static function discardWebhook(CData $webhook): void
    {
        $ffi = Native::ffi();
        $text = $ffi->cashi_webhook_take_events($webhook);
        if ($text !== null) {
            $ffi->cashi_string_free($text);
        }
    }

    /** @param CData|null $text libcashi's JSON lines (freed here), or null for none */
    private function deliver(?CData $text): void
    {
        if ($text === null) {
            return;
        }
        $ffi = Native::ffi();
        try {
            $lines = FFI::string($text);
        } finally {
            $ffi->cashi_string_free($text);
        }
        foreach (explode("\n", rtrim($lines, "\n")) as $json) {
            $record = Native::decode($json);
            $event = is_array($record['event'] ?? null) ? $record['event'] : [];
            $this->guarded('logger', fn () => $this->logger?->log(
                (string) ($record['level'] ?? 'info'),
                (string) ($record['line'] ?? ''),
                $event
            ));
            if ($this->onResponse !== null && ($event['type'] ?? null) === 'attempt') {
                $this->guarded('on_response callable', fn () => ($this->onResponse)($event));
            }
        }
    }

    /**
     * Tells the logger something the package itself decided (a webhook handler's answer),
     * with the same guard as an event: a throwing logger changes nothing.
     *
     * @param array<string, mixed> $context
     */
    public function note(string $level, string $message, array $context): void
    {
        $this->guarded('logger', fn () => $this->logger?->log($level, $message, $context));
    }

    private function guarded(string $who, \Closure $deliver): void
    {
        try {
            $deliver();
        } catch (\Throwable $e) {
            error_log(sprintf(
                'cashi: the %s threw %s: %s (the call\'s outcome is unchanged)',
                $who,
                get_class($e),
                $e->getMessage()
            ));
        }
    }
}
