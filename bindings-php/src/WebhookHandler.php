<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Exception\CashiException;
use Cashi\Exception\PaymentMismatchException;
use Cashi\Internal\Events;
use Cashi\Internal\Native;
use Cashi\Internal\WebhookAnswers;

/**
 * Cashi's webhook, handled: the signature verified on the raw body, the dashboard's Test
 * Webhook answered without calling you, the payment confirmed with Cashi against the amount
 * you stored, and only then your onPaid. Framework-free: run() answers the current request
 * (php://input, the headers, http_response_code); handle() takes an explicit body and
 * headers (Laravel, Symfony, tests) and returns the answer.
 *
 * ```php
 * (new Cashi\WebhookHandler(
 *     secret: getenv('CASHI_WEBHOOK_SECRET'),
 *     client: new Cashi\Client(),
 *     expectedAmount: fn (string $orderId) => $orders->amountToPay($orderId), // null: unknown
 *     onPaid: fn (string $orderId, int $amount, Cashi\WebhookEvent $event) => $orders->fulfil($orderId),
 *     alreadyFulfilled: fn (string $orderId) => $orders->isFulfilled($orderId),
 * ))->run();
 * ```
 *
 * The answers (any but 200 makes Cashi deliver again later): 400 no signature, a wrong one,
 * or not a Cashi event; 200 the Test Webhook, not a settlement, already fulfilled, fulfilled;
 * 404 expectedAmount() returned null (an order you do not know); 409 confirm refused the
 * payment (not settled yet, another amount), after onMismatch; 503 confirm could not reach
 * Cashi; 500 confirm failed otherwise, or a callback threw (reported to onError).
 *
 * Each answer's status, text and outcome name come from the core's table (core/src/
 * webhook_answer.rs, as Cashi\Internal\WebhookAnswers), so every language's handler answers
 * Cashi alike.
 *
 * 409, not 422, for a refused payment: the webhook is well formed, but what it claims
 * conflicts with the order's state as Cashi's API reports it, and that state can change: a
 * webhook that arrives before check-status says SETTLED succeeds on a later delivery.
 *
 * allowUnsigned: for an account whose webhooks carry no X-Gateway-Signature. A request
 * without that header is then read as a hint (Webhook::parseUnverified()) and goes through
 * the same steps; confirm against the stored amount decides, and takes nothing from an
 * unverified event but its order id, so safety rests on Cashi's API, not on the signature.
 * A request that carries the header is still verified, and a wrong signature refused (400).
 *
 * logger: a PSR-3 logger (as Client's option) told every answer, 'info' for a 200,
 * 'warning' for a 400, 404, 409 or 503, 'error' for a 500, with the order id, status and
 * text in its context; the verifier and the default client made here log through it too.
 */
final class WebhookHandler
{
    private ?Webhook $webhook;
    private Client $client;
    private \Closure $expectedAmount;
    private \Closure $onPaid;
    private ?\Closure $alreadyFulfilled;
    private ?\Closure $onMismatch;
    private \Closure $onError;
    /** The logger option, or null. */
    private ?Events $events;

    /**
     * @param string|list<string>|Webhook|null $secret the webhook secret, several during a
     *        rotation, or a Webhook; null only with $allowUnsigned
     * @param callable(string): (int|null) $expectedAmount the amount to pay stored at
     *        create-order time ($order->amount), or null for an order you do not know
     * @param callable(string, int, WebhookEvent): mixed $onPaid fulfil the order: called only
     *        after confirm; make it fulfil once per order id (a unique key in its transaction)
     * @param Client|null $client the client confirm runs on; by default new Client() (CASHI_API_KEY)
     * @param (callable(string): bool)|null $alreadyFulfilled whether onPaid already ran for it
     * @param (callable(string, PaymentMismatchException, WebhookEvent): mixed)|null $onMismatch
     *        confirm refused the payment: flag it for review
     * @param (callable(\Throwable, array{step: string, order_id: string|null}): mixed)|null $onError
     *        where a failure's exception goes; by default error_log()
     * @param object|null $logger a PSR-3 logger (any object with log($level, $message, array
     *        $context)) told every answer; also given to the verifier and default client made here
     */
    public function __construct(
        #[\SensitiveParameter] string|array|Webhook|null $secret,
        callable $expectedAmount,
        callable $onPaid,
        ?Client $client = null,
        ?callable $alreadyFulfilled = null,
        ?callable $onMismatch = null,
        ?callable $onError = null,
        private readonly bool $allowUnsigned = false,
        ?object $logger = null,
    ) {
        if ($secret === null && !$allowUnsigned) {
            throw new Exception\InvalidArgumentException(
                'secret: pass your webhook secret (sk_..., Settings → Webhook in the Cashi dashboard); '
                . 'it may be null only with allowUnsigned: true'
            );
        }
        $this->events = Events::fromOptions(['logger' => $logger]);
        $logged = $logger === null ? [] : ['logger' => $logger];
        $this->webhook = $secret === null || $secret instanceof Webhook ? $secret : new Webhook($secret, $logged);
        $this->client = $client ?? new Client(null, $logged);
        $this->expectedAmount = \Closure::fromCallable($expectedAmount);
        $this->onPaid = \Closure::fromCallable($onPaid);
        $this->alreadyFulfilled = $alreadyFulfilled === null ? null : \Closure::fromCallable($alreadyFulfilled);
        $this->onMismatch = $onMismatch === null ? null : \Closure::fromCallable($onMismatch);
        $this->onError = $onError === null
            ? static function (\Throwable $e, array $context): void {
                $where = $context['order_id'] === null ? '' : " for order {$context['order_id']}";
                error_log("cashi webhook: {$context['step']} failed$where: " . $e);
            }
            : \Closure::fromCallable($onError);
    }

    /**
     * Answers the current request: reads php://input and the request headers, then sends the
     * status (http_response_code), a text/plain type and a short text.
     */
    public function run(): WebhookResponse
    {
        $answer = $this->handle((string) file_get_contents('php://input'), self::requestHeaders());
        http_response_code($answer->status);
        header('Content-Type: text/plain; charset=utf-8');
        echo $answer->text;
        return $answer;
    }

    /**
     * Handles one delivery.
     *
     * @param string $body the raw request body exactly as received (Laravel and Symfony:
     *        $request->getContent())
     * @param array<int|string, string|list<string>> $headers ['Name' => 'value'],
     *        ['Name' => ['value']] (PSR-7, Symfony $request->headers->all()), "Name: value"
     *        lines, or $_SERVER's HTTP_* entries
     */
    public function handle(string $body, array $headers): WebhookResponse
    {
        $answer = $this->answer($body, $headers);
        if ($this->events !== null) {
            $orderId = $answer->event?->orderId;
            $this->events->note(
                WebhookAnswers::BY_OUTCOME[$answer->outcome][3],
                sprintf(
                    'webhook%s: %d %s',
                    $orderId === null ? '' : " for order $orderId",
                    $answer->status,
                    $answer->text
                ),
                [
                    'type' => 'webhook_answer',
                    'order_id' => $orderId,
                    'outcome' => $answer->outcome,
                    'status' => $answer->status,
                    'text' => $answer->text,
                    'is_test' => $answer->event?->isTest(),
                    'is_verified' => $answer->event?->isVerified(),
                ]
            );
        }
        return $answer;
    }

    /**
     * handle()'s answer, before it is logged.
     *
     * @param array<int|string, string|list<string>> $headers
     */
    private function answer(string $body, array $headers): WebhookResponse
    {
        $event = $this->read($body, $headers);
        if ($event instanceof WebhookResponse) {
            return $event;
        }
        $orderId = $event->orderId;
        if ($event->isTest()) {
            return self::respond(WebhookAnswers::TEST_WEBHOOK, $event);
        }
        if (!$event->isSettled()) {
            return self::respond(WebhookAnswers::NOT_SETTLEMENT, $event);
        }
        try {
            if ($this->alreadyFulfilled !== null && ($this->alreadyFulfilled)($orderId)) {
                return self::respond(WebhookAnswers::ALREADY_FULFILLED, $event);
            }
            $expected = ($this->expectedAmount)($orderId);
        } catch (\Throwable $e) {
            $this->report($e, 'a callback', $orderId);
            return self::respond(WebhookAnswers::HANDLER_ERROR, $event);
        }
        if ($expected === null) {
            return self::respond(WebhookAnswers::UNKNOWN_ORDER, $event);
        }
        try {
            // The merchant's callback gave something else than an amount ('15023' from a
            // database column, 15023.5): its bug, answered as the other languages do.
            $expected = Native::amount($expected, 'expectedAmount');
        } catch (Exception\InvalidArgumentException $e) {
            $this->report($e, 'expectedAmount', $orderId);
            return self::respond(WebhookAnswers::HANDLER_ERROR, $event);
        }
        try {
            $status = $this->client->confirm($event, $expected);
        } catch (PaymentMismatchException $e) {
            if ($this->onMismatch !== null) {
                try {
                    ($this->onMismatch)($orderId, $e, $event);
                } catch (\Throwable $e2) {
                    $this->report($e2, 'onMismatch', $orderId);
                }
            }
            return self::respond(WebhookAnswers::NOT_CONFIRMED, $event);
        } catch (CashiException $e) {
            $failed = WebhookAnswers::TO_FAILED_CONFIRM[$e->getErrorCode()] ?? WebhookAnswers::CONFIRM_FAILED;
            if ($failed[3] === 'error') {
                $this->report($e, 'confirm', $orderId);
            }
            return self::respond($failed, $event);
        }
        try {
            ($this->onPaid)($orderId, $status->amount ?? $expected, $event);
        } catch (\Throwable $e) {
            $this->report($e, 'onPaid', $orderId);
            return self::respond(WebhookAnswers::HANDLER_ERROR, $event);
        }
        return self::respond(WebhookAnswers::FULFILLED, $event);
    }

    /**
     * The event, or the 400 answer for a body that is not a genuine Cashi event.
     *
     * @param array<int|string, string|list<string>> $headers
     */
    private function read(string $body, array $headers): WebhookEvent|WebhookResponse
    {
        try {
            if ($this->allowUnsigned && !Webhook::isSigned($headers)) {
                return Webhook::parseUnverified($body);
            }
            if ($this->webhook === null) {
                return self::respond(WebhookAnswers::NO_SECRET);
            }
            return $this->webhook->verifyHeaders($body, $headers);
        } catch (Exception\SignatureVerificationException) {
            return self::respond(WebhookAnswers::INVALID_SIGNATURE);
        } catch (Exception\WebhookPayloadException) {
            return self::respond(WebhookAnswers::INVALID_PAYLOAD);
        }
    }

    /**
     * The current request's headers: getallheaders() where the server has it, else the
     * HTTP_* entries of $_SERVER (which libcashi reads in their CGI spelling).
     *
     * @return array<string, string>
     */
    private static function requestHeaders(): array
    {
        if (function_exists('getallheaders')) {
            $headers = getallheaders();
            if (is_array($headers)) {
                return $headers;
            }
        }
        return array_filter(
            $_SERVER,
            static fn ($value, $name): bool => is_string($name) && str_starts_with($name, 'HTTP_') && is_string($value),
            ARRAY_FILTER_USE_BOTH
        );
    }

    /**
     * An answer of the core's table (WebhookAnswers), for $event when the body was read.
     *
     * @param array{string, int, string, string} $answer
     */
    private static function respond(array $answer, ?WebhookEvent $event = null): WebhookResponse
    {
        [$outcome, $status, $text] = $answer;
        return new WebhookResponse($status, $text, $outcome, $event);
    }

    private function report(\Throwable $e, string $step, ?string $orderId): void
    {
        try {
            ($this->onError)($e, ['step' => $step, 'order_id' => $orderId]);
        } catch (\Throwable) {
            // a failing error reporter must not change the answer
        }
    }

    /** @return array<string, mixed> nothing of the secret or the callbacks */
    public function __debugInfo(): array
    {
        return ['allowUnsigned' => $this->allowUnsigned];
    }
}
