<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Exception\CashiException;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\SignatureVerificationException;
use Cashi\Exception\WebhookPayloadException;
use Cashi\Internal\Events;
use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use FFI;
use FFI\CData;

/**
 * Verifies Cashi's webhooks: the x-gateway-signature header is the HMAC-SHA256 of the raw
 * request body, keyed with your webhook secret (Settings → Webhook in the dashboard).
 *
 * ```php
 * $event = (new Cashi\Webhook('sk_...'))->verify(file_get_contents('php://input'),
 *                                                $_SERVER['HTTP_X_GATEWAY_SIGNATURE'] ?? '');
 * ```
 *
 * Verify the body exactly as received: json_decode + json_encode changes the bytes and
 * the signature no longer matches.
 *
 * A valid signature is not a new payment: Cashi may deliver the same webhook twice, and the
 * signature has no timestamp, so a captured webhook can be replayed forever (and
 * Client::confirm() still passes). Fulfil once per order id: store it, ignore repeats.
 *
 * ```php
 * if ($orders->isFulfilled($event->orderId)) { http_response_code(200); exit; } // a repeat
 * $orders->markFulfilled($event->orderId); // in the same transaction as the fulfilment
 * ```
 */
final class Webhook
{
    private Handle $handle;

    /** Where each verification is reported (the logger option), or null. */
    private ?Events $events;

    /**
     * What every verify() uses, looked up once: the FFI object that made the handle, the
     * handle's pointer (the Handle above still owns it), and the out-slots of the event, its
     * fields and the error. A verify is a few microseconds of work, and each static call
     * or lookup per verify would add a visible share of it (bench/FINDINGS.md §6).
     */
    private FFI $ffi;
    private CData $pointer;
    private CData $event;
    private CData $eventOut;
    private CData $fields;
    private CData $fieldsOut;
    private CData $errorOut;

    /**
     * @param string|list<string> $secrets one secret, or several during a rotation
     *        (the new one first, the old one until Cashi signs with the new one)
     * @param array{logger?: object} $options logger: any PSR-3 logger (or object with its
     *        log($level, $message, array $context) method), told of every verification:
     *        'info' when accepted, 'warning' when refused (a bad signature, say), the context
     *        holding type, order_id, is_test and error; never the secret or the body
     * @throws InvalidArgumentException for no secret or an empty one, or a bad option
     */
    public function __construct(#[\SensitiveParameter] string|array $secrets, array $options = [])
    {
        foreach (array_keys($options) as $name) {
            if ($name !== 'logger') {
                throw new InvalidArgumentException(sprintf('options: unknown option %s; the only option is logger', var_export($name, true)));
            }
        }
        $this->events = Events::fromOptions($options);
        $list = is_string($secrets) ? [$secrets] : array_values($secrets);
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_webhook*');
        if ($list === []) {
            // No secret at all: libcashi refuses it, saying what to pass.
            Native::check($ffi->cashi_webhook_new_with_secrets(null, 0, FFI::addr($out), Native::errorOut()));
        }
        foreach ($list as $i => $secret) {
            if (!is_string($secret)) {
                // Its type only: a number may be the secret itself.
                throw new InvalidArgumentException(sprintf('webhook_secret: secret #%d is %s, not a string', $i + 1, get_debug_type($secret)));
            }
            Native::text($secret, 'webhook_secret');
        }
        Native::check($ffi->cashi_webhook_new($list[0], FFI::addr($out), Native::errorOut()));
        $this->handle = new Handle($out, 'cashi_webhook_free');
        foreach (array_slice($list, 1) as $secret) {
            Native::check($ffi->cashi_webhook_add_secret($out, $secret, Native::errorOut()));
        }
        if ($this->events !== null) {
            Native::check($ffi->cashi_webhook_keep_events($out, true, Native::errorOut()));
        }
        $this->ffi = $ffi;
        $this->pointer = $out;
        [$this->event, $this->eventOut] = Native::slot('cashi_event*');
        [$this->fields, $this->fieldsOut] = Native::slot('cashi_event_fields');
        $this->errorOut = Native::errorOut();
    }

    /**
     * Checks the signature against the raw body, in constant time, then reads the event.
     * Then skip a repeat (fulfil once per order id: the same webhook may come again, or be
     * replayed) and Client::confirm() the event before fulfilling.
     *
     * @param string $body the raw request body, e.g. file_get_contents('php://input')
     * @param string|null $signature the x-gateway-signature header ($_SERVER['HTTP_X_GATEWAY_SIGNATURE'])
     * @throws SignatureVerificationException the signature does not match: answer 400, do nothing
     * @throws WebhookPayloadException signed, but not a Cashi event
     */
    public function verify(mixed $body, ?string $signature): WebhookEvent
    {
        $body = self::rawBody('verify', $body);
        $signature ??= '';
        if (str_contains($signature, "\0")) {
            Native::text($signature, 'signature'); // throws the error naming the field
        }
        $result = $this->ffi->cashi_webhook_verify(
            $this->pointer,
            $body,
            strlen($body),
            $signature,
            $this->eventOut,
            $this->errorOut
        );
        $this->events?->fromWebhook($this->pointer);
        if ($result !== 0) {
            Native::check($result);
        }
        return $this->takeEvent($body, $signature, null);
    }

    /**
     * Like verify(), with libcashi finding the signature among the request's headers: the
     * x-gateway-signature header in any letter case, or its CGI name HTTP_X_GATEWAY_SIGNATURE
     * (so `$_SERVER` works as it is). Takes ['Name' => 'value'], ['Name' => ['value']]
     * (PSR-7 getHeaders()), or a list of "Name: value" lines.
     *
     * @param array<int|string, string|list<string>> $headers
     * @throws CashiException
     */
    public function verifyHeaders(mixed $body, array $headers): WebhookEvent
    {
        $body = self::rawBody('verifyHeaders', $body);
        $lines = self::headerLines($headers);
        $result = $this->ffi->cashi_webhook_verify_headers(
            $this->pointer,
            $body,
            strlen($body),
            $lines,
            strlen($lines),
            $this->eventOut,
            $this->errorOut
        );
        $this->events?->fromWebhook($this->pointer);
        Native::check($result);
        return $this->takeEvent($body, null, $lines);
    }

    /**
     * Reads a webhook that came with no signature, as a hint only (isVerified() is false),
     * for an account whose webhooks are not signed. Anyone can send such a body: fulfil only
     * after Client::confirm() with the amount stored at create-order time, which takes
     * nothing from an unverified event but its order id. A request that carries a signature
     * goes to verify(), never here: a wrong signature is refused, not read as unsigned.
     *
     * @param string $body the raw request body
     * @throws WebhookPayloadException not a Cashi event (names the field)
     */
    public static function parseUnverified(mixed $body): WebhookEvent
    {
        $body = self::rawBody('parseUnverified', $body);
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_event*');
        Native::check($ffi->cashi_webhook_parse_unverified($body, strlen($body), FFI::addr($out), Native::errorOut()));
        $event = new Handle($out, 'cashi_event_free');
        $fields = $ffi->new('cashi_event_fields');
        $ffi->cashi_event_get_fields($event->pointer(), FFI::addr($fields));
        return new WebhookEvent($fields, $body);
    }

    /**
     * Whether the headers carry Cashi's signature header, by the rule verifyHeaders() finds
     * it with (libcashi's: any letter case, or CGI's HTTP_X_GATEWAY_SIGNATURE): a handler that
     * accepts unsigned webhooks reads a request without one with parseUnverified() and
     * verifies every other.
     *
     * @param array<int|string, string|list<string>> $headers as for verifyHeaders()
     */
    public static function isSigned(array $headers): bool
    {
        $lines = self::headerLines($headers);
        $signed = Native::ffi()->new('bool');
        Native::check(Native::ffi()->cashi_headers_signed($lines, strlen($lines), FFI::addr($signed), Native::errorOut()));
        return $signed->cdata;
    }

    /**
     * Headers as the text lines libcashi reads: `Name: value` (or a whole line under an int
     * key), one per value.
     *
     * @param array<int|string, string|list<string>> $headers
     */
    private static function headerLines(array $headers): string
    {
        $lines = '';
        foreach ($headers as $name => $value) {
            foreach ((array) $value as $one) {
                if (!is_string($one) && !is_int($one)) {
                    continue;
                }
                $line = is_int($name) ? (string) $one : $name . ': ' . $one;
                // A header value never spans lines; a line break would forge another header.
                // (A NUL byte is left for libcashi to refuse, naming the headers.)
                $lines .= str_replace(["\r", "\n"], ' ', $line) . "\n";
            }
        }
        return $lines;
    }

    /**
     * @internal libcashi's event for a WebhookEvent this verifier made, for
     * Client::confirm(): the same body and signature verified again (a microsecond, next to
     * the call to Cashi that follows), so that verify() itself keeps no native object.
     */
    public function nativeEvent(string $body, ?string $signature, ?string $headerLines): Handle
    {
        $out = $this->ffi->new('cashi_event*');
        $result = $headerLines === null
            ? $this->ffi->cashi_webhook_verify($this->pointer, $body, strlen($body), (string) $signature, FFI::addr($out), Native::errorOut())
            : $this->ffi->cashi_webhook_verify_headers($this->pointer, $body, strlen($body), $headerLines, strlen($headerLines), FFI::addr($out), Native::errorOut());
        if ($this->events !== null) {
            Events::discardWebhook($this->pointer); // reported when it was first verified
        }
        Native::check($result);
        return new Handle($out, 'cashi_event_free');
    }

    /**
     * The verified event in the event slot, copied into PHP values through one
     * cashi_event_get_fields call (one accessor call per field would be a large share of a
     * verify; bench/FINDINGS.md §6), then freed.
     */
    private function takeEvent(string $body, ?string $signature, ?string $headerLines): WebhookEvent
    {
        try {
            $this->ffi->cashi_event_get_fields($this->event, $this->fieldsOut);
            return new WebhookEvent($this->fields, $body, $this, $signature, $headerLines);
        } finally {
            $this->ffi->cashi_event_free($this->event);
        }
    }

    /**
     * What print_r and var_dump show: nothing of the native state. The secrets live there,
     * and the reusable event slots still point into the last event, freed once copied:
     * dumping them (print_r of an event shows the Webhook that verified it) would read
     * freed memory. Clearing the slots instead would cost every verify two more FFI calls.
     *
     * @return array<string, string>
     */
    public function __debugInfo(): array
    {
        return ['verifies' => "Cashi's signature over the raw body"];
    }

    /**
     * Verifies the current request: the raw body from php://input, the signature found by
     * libcashi among the request's headers (getallheaders()) and server variables
     * ($_SERVER, where PHP puts X-Gateway-Signature as HTTP_X_GATEWAY_SIGNATURE).
     *
     * @param string|list<string> $secrets
     * @param array{logger?: object} $options as the constructor's
     * @throws SignatureVerificationException no signature, or one that does not match
     * @throws CashiException
     */
    public static function fromGlobals(#[\SensitiveParameter] string|array $secrets, array $options = []): WebhookEvent
    {
        $body = file_get_contents('php://input');
        $headers = function_exists('getallheaders') ? (array) getallheaders() : [];
        // Server variables that can be a header's: texts (not argv), without a NUL byte,
        // which libcashi would refuse in the headers it searches.
        foreach ($_SERVER as $name => $value) {
            if (is_string($name) && is_string($value) && !str_contains($value, "\0")) {
                $headers[] = $name . ': ' . $value;
            }
        }
        return (new self($secrets, $options))->verifyHeaders($body === false ? '' : $body, $headers);
    }

    /**
     * The body as the string Cashi signed. A decoded array or object gets a TypeError that
     * shows where the raw body is, as PHP's own TypeError ("must be of type string") would not.
     */
    private static function rawBody(string $method, mixed $body): string
    {
        if (is_string($body)) {
            return $body;
        }
        $what = is_array($body) || is_object($body)
            ? 'an already-decoded ' . get_debug_type($body) . ' (json_decode, $request->all() or $_POST)'
            : get_debug_type($body);
        throw new \TypeError(
            "Webhook::$method(): \$body must be the raw request body as a string, not $what: "
            . 'the signature is over the exact bytes Cashi sent, which decoding and re-encoding change. '
            . "Pass file_get_contents('php://input'), or in Laravel and Symfony \$request->getContent()."
        );
    }
}
