<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Exception\CashiException;
use Cashi\Exception\InvalidArgumentException;
use Cashi\Internal\Events;
use Cashi\Internal\Handle;
use Cashi\Internal\Native;
use FFI;
use FFI\CData;

/**
 * The Cashi API client: create an order, read its status, wait for it, confirm it.
 *
 * ```php
 * $cashi = new Cashi\Client(getenv('CASHI_API_KEY'), ['timeout' => 30, 'max_retries' => 2]);
 * $order = $cashi->createOrder(15000, 'INV-9921');
 * // store $order->amount (e.g. 15023): it is what the customer pays and the webhook carries
 * ```
 *
 * One client per process is enough: it pools connections, and it keeps working in
 * processes forked from the one that made it (PHP-FPM workers, pcntl_fork).
 */
final class Client
{
    /** This package's version. */
    public const VERSION = '0.1.0';

    private const OPTIONS = ['base_url', 'timeout', 'connect_timeout', 'max_retries', 'retry_backoff', 'ca_bundle', 'logger', 'on_response'];

    private Handle $handle;

    /** Where each call's events go (the logger and on_response options), or null. */
    private ?Events $events;

    /**
     * @param string|null $apiKey your Cashi API key; null reads CASHI_API_KEY
     * @param array{base_url?: string, timeout?: int|float, connect_timeout?: int|float,
     *              max_retries?: int, retry_backoff?: array{0: int|float, 1: int|float},
     *              ca_bundle?: string, logger?: object,
     *              on_response?: callable(array<string, mixed>): mixed} $options
     *        base_url (default CASHI_BASE_URL or https://cashi.id/api), timeout in seconds for a
     *        whole request (30), connect_timeout in seconds (10), max_retries (2),
     *        retry_backoff [first pause, longest pause] in seconds ([0.5, 5]), ca_bundle the
     *        path of a PEM file of CA certificates trusted besides the built-in roots (a
     *        TLS-inspecting proxy's; default CASHI_CA_BUNDLE, else SSL_CERT_FILE, else none),
     *        logger (any PSR-3 logger, or object with its log($level, $message, array $context)
     *        method: 'debug' per answered HTTP attempt, 'info' per finished call, 'warning' per
     *        failed attempt or call; the context holds the event's fields, never the key),
     *        on_response (called after every HTTP attempt with its fields: method, path,
     *        order_id, attempt, http_status (null when no answer came), elapsed_ms, error,
     *        retry_in_ms)
     * @throws InvalidArgumentException for a missing or malformed key or option, or a
     *         ca_bundle file that is missing or holds no usable certificate (named)
     */
    public function __construct(#[\SensitiveParameter] ?string $apiKey = null, array $options = [])
    {
        foreach (array_keys($options) as $name) {
            if (!in_array($name, self::OPTIONS, true)) {
                throw new InvalidArgumentException(sprintf(
                    'options: unknown option %s; the options are %s',
                    var_export($name, true),
                    implode(', ', self::OPTIONS)
                ));
            }
        }
        $this->events = Events::fromOptions($options);
        $ffi = Native::ffi();
        $opts = $ffi->cashi_client_options_new();
        try {
            if ($apiKey !== null) {
                Native::check($ffi->cashi_client_options_set_api_key($opts, Native::text($apiKey, 'api_key'), Native::errorOut()));
            }
            if (array_key_exists('base_url', $options)) {
                $url = $options['base_url'];
                if (!is_string($url)) {
                    throw new InvalidArgumentException('base_url: expected a URL string, got ' . Native::describe($url));
                }
                Native::check($ffi->cashi_client_options_set_base_url($opts, Native::text($url, 'base_url'), Native::errorOut()));
            }
            if (array_key_exists('timeout', $options)) {
                $ms = Native::milliseconds($options['timeout'], 'timeout');
                Native::check($ffi->cashi_client_options_set_timeout_ms($opts, $ms, Native::errorOut()));
            }
            if (array_key_exists('connect_timeout', $options)) {
                $ms = Native::milliseconds($options['connect_timeout'], 'connect_timeout');
                Native::check($ffi->cashi_client_options_set_connect_timeout_ms($opts, $ms, Native::errorOut()));
            }
            if (array_key_exists('max_retries', $options)) {
                $n = $options['max_retries'];
                if (!is_int($n) || $n < 0) {
                    throw new InvalidArgumentException('max_retries: expected a number of retries (an int, 0 or more), got ' . Native::describe($n));
                }
                // The core's limit applies when the client is made; a count beyond C's
                // uint32_t is beyond it too.
                Native::check($ffi->cashi_client_options_set_max_retries($opts, min($n, 0xFFFFFFFF), Native::errorOut()));
            }
            if (array_key_exists('retry_backoff', $options)) {
                $b = $options['retry_backoff'];
                if (!is_array($b) || count($b) !== 2 || !array_is_list($b)) {
                    throw new InvalidArgumentException('retry_backoff: expected [first pause, longest pause] in seconds, got ' . Native::describe($b));
                }
                $base = Native::milliseconds($b[0], 'retry_backoff[0]');
                $cap = Native::milliseconds($b[1], 'retry_backoff[1]');
                Native::check($ffi->cashi_client_options_set_retry_backoff_ms($opts, $base, $cap, Native::errorOut()));
            }
            if (array_key_exists('ca_bundle', $options)) {
                $path = $options['ca_bundle'];
                if (!is_string($path)) {
                    throw new InvalidArgumentException('ca_bundle: expected the path of a PEM file (a string), got ' . Native::describe($path));
                }
                Native::check($ffi->cashi_client_options_set_ca_bundle($opts, Native::text($path, 'ca_bundle'), Native::errorOut()));
            }
            Native::check($ffi->cashi_client_options_set_binding($opts, 'cashi-php', self::VERSION, Native::errorOut()));
            if ($this->events !== null) {
                Native::check($ffi->cashi_client_options_keep_events($opts, true, Native::errorOut()));
            }
            $client = $ffi->new('cashi_client*');
            Native::check($ffi->cashi_client_new($opts, FFI::addr($client), Native::errorOut()));
            $this->handle = new Handle($client, 'cashi_client_free');
        } finally {
            $ffi->cashi_client_options_free($opts);
        }
    }

    /** The base URL in use, without a trailing slash. */
    public function getBaseUrl(): string
    {
        return (string) Native::ffi()->cashi_client_base_url($this->handle->pointer());
    }

    /** The user-agent sent, e.g. "cashi-php/0.1.0 cashi-rust/0.1.0". */
    public function getUserAgent(): string
    {
        return (string) Native::ffi()->cashi_client_user_agent($this->handle->pointer());
    }

    /**
     * Creates an order. Store the returned order's amount: it is the amount to pay (with
     * Cashi's unique code) and what the webhook will carry.
     *
     * @param int|float $amount whole rupiah (a float must have no fraction)
     * @param string|null $orderId your own unique id (recommended)
     * @param string|null $channel BCA, MANDIRI, BNI, BRI, BSI, ALFAMART, INDOMARET, QRIS_CUSTOM; null = QRIS
     * @param array<string, mixed>|null $extra fields the SDK does not model, sent in the
     *        request body as given (an associative array, written as a JSON object), e.g.
     *        `extra: ['callback_url' => 'https://shop.example/cashi']`. At most 16 KiB as
     *        JSON; a list, or a key the SDK sets itself (amount, order_id, kode_channel,
     *        QRIS_CUSTOM), is refused with InvalidArgumentException. The answer's fields
     *        the SDK does not model are in the order's `raw()`.
     * @throws CashiException
     */
    public function createOrder(
        mixed $amount,
        ?string $orderId = null,
        ?string $channel = null,
        ?array $extra = null,
    ): Order {
        $amount = Native::amount($amount, 'amount');
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_order*');
        $this->check($ffi->cashi_client_create_order_extra(
            $this->handle->pointer(),
            $amount,
            $orderId === null ? null : Native::text($orderId, 'order_id'),
            $channel === null ? null : Native::text($channel, 'channel'),
            $extra === null ? null : Native::json($extra, 'extra'),
            FFI::addr($out),
            Native::errorOut()
        ));
        return Order::fromHandle(new Handle($out, 'cashi_order_free'));
    }

    /**
     * Creates many orders at once: the requests run concurrently inside libcashi (up to 64
     * in flight, each retried as createOrder's is) and the call returns when all are done.
     * One failed order does not stop the others.
     *
     * ```php
     * $results = $cashi->createOrders([
     *     'INV-1' => ['amount' => 15000, 'order_id' => 'INV-1'],
     *     'INV-2' => ['amount' => 50000, 'order_id' => 'INV-2', 'channel' => 'BCA'],
     * ]);
     * foreach ($results as $key => $result) {
     *     if ($result instanceof Cashi\Order) { store($key, $result->amount); } else { log($result->getMessage()); }
     * }
     * ```
     *
     * @param array<array-key, array{amount: int|float, order_id?: string|null, channel?: string|null}> $requests
     *        each createOrder's arguments as an array: amount (whole rupiah), order_id and
     *        channel (both optional)
     * @return array<array-key, Order|CashiException> the same keys in the same order; each
     *         value is the order, or the CashiException createOrder would have thrown for that
     *         request (InvalidArgumentException for a malformed item, ConflictException for an
     *         order id that exists, ...). An empty array gives an empty array.
     * @throws InvalidArgumentException for more than 10,000 requests (libcashi's limit;
     *         nothing is sent)
     */
    public function createOrders(array $requests): array
    {
        $items = self::batchItems($requests, 'requests', self::orderRequest(...));
        if ($items === []) {
            return [];
        }
        $ffi = Native::ffi();
        $n = count($items);
        $keep = [];
        $native = $ffi->new("cashi_order_request[$n]");
        foreach ($items as $i => [, $request]) {
            // An item refused here goes as amount 0, which libcashi refuses unsent: the batch
            // keeps its size for libcashi's limit, and the item keeps the exception below.
            [$amount, $orderId, $channel] = $request instanceof InvalidArgumentException ? [0, null, null] : $request;
            $native[$i]->amount = $amount;
            if ($orderId !== null) {
                $native[$i]->order_id = Native::cString($orderId, $keep);
            }
            if ($channel !== null) {
                $native[$i]->channel = Native::cString($channel, $keep);
            }
        }
        [$orders, $errors] = $this->runBatch('cashi_client_create_orders', 'cashi_order', $native, $n, 'cashi_order_free');
        return self::batchResults($items, $orders, $errors, Order::fromHandle(...));
    }

    /**
     * Reads an order's payment status.
     *
     * @throws CashiException
     */
    public function checkStatus(string $orderId): PaymentStatus
    {
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_status*');
        $this->check($ffi->cashi_client_check_status(
            $this->handle->pointer(),
            Native::text($orderId, 'order_id'),
            FFI::addr($out),
            Native::errorOut()
        ));
        return PaymentStatus::take($out);
    }

    /**
     * Reads many orders' statuses at once: the requests run concurrently inside libcashi (up
     * to 64 in flight, each retried as checkStatus's is) and the call returns when all are
     * done. For a cron job reconciling pending orders, or a page showing several of them.
     *
     * ```php
     * foreach ($cashi->checkStatuses($pendingIds) as $id => $status) {
     *     if ($status instanceof Cashi\PaymentStatus && $status->isSettled()) { ... }
     * }
     * ```
     *
     * @param array<array-key, string> $orderIds
     * @return array<array-key, PaymentStatus|CashiException> the same keys in the same order;
     *         each value is the status, or the CashiException checkStatus would have thrown for
     *         that id (NotFoundException for an unknown order, ...; InvalidArgumentException for
     *         a value that is not a usable order id). An empty array gives an empty array.
     * @throws InvalidArgumentException for more than 10,000 ids (libcashi's limit; nothing
     *         is sent)
     */
    public function checkStatuses(array $orderIds): array
    {
        $items = self::batchItems($orderIds, 'orderIds', static function (mixed $orderId, string $name): string {
            if (!is_string($orderId)) {
                throw new InvalidArgumentException("$name: expected an order id string, got " . Native::describe($orderId));
            }
            return Native::text($orderId, $name);
        });
        if ($items === []) {
            return [];
        }
        $ffi = Native::ffi();
        $n = count($items);
        $keep = [];
        $native = $ffi->new("const char*[$n]");
        foreach ($items as $i => [, $orderId]) {
            // An item refused here goes as NULL, which libcashi refuses unsent: the batch
            // keeps its size for libcashi's limit, and the item keeps the exception below.
            if (is_string($orderId)) {
                $native[$i] = Native::cString($orderId, $keep);
            }
        }
        [$statuses, $errors] = $this->runBatch('cashi_client_check_statuses', 'cashi_status', $native, $n, 'cashi_status_free');
        return self::batchResults($items, $statuses, $errors, PaymentStatus::fromHandle(...));
    }

    /**
     * Polls the status (1 s apart at first, up to 5 s) until the order is SETTLED or
     * EXPIRED, and returns it; a TimeoutException when $timeout seconds pass first.
     * Blocks the PHP process meanwhile.
     *
     * @param int|float|null $timeout seconds; null waits the SDK's default, 10 minutes
     * @throws CashiException
     */
    public function waitForPayment(string $orderId, mixed $timeout = null): PaymentStatus
    {
        $ms = $timeout === null ? 0 : Native::milliseconds($timeout, 'timeout'); // 0: libcashi's default
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_status*');
        $this->check($ffi->cashi_client_wait_for_payment(
            $this->handle->pointer(),
            Native::text($orderId, 'order_id'),
            $ms,
            FFI::addr($out),
            Native::errorOut()
        ));
        return PaymentStatus::take($out);
    }

    /**
     * Calls a libcashi batch function and takes ownership of everything it returns before
     * anything else can fail: item i has its result in the first list or its error in the
     * second, each a Handle that frees it.
     *
     * @return array{0: array<int, Handle>, 1: array<int, Handle>}
     */
    private function runBatch(string $function, string $type, CData $items, int $count, string $free): array
    {
        $ffi = Native::ffi();
        $out = $ffi->new("{$type}*[$count]");
        $outErrors = $ffi->new("cashi_error*[$count]");
        $this->check($ffi->{$function}($this->handle->pointer(), $items, $count, $out, $outErrors, Native::errorOut()));
        $results = [];
        $errors = [];
        for ($i = 0; $i < $count; $i++) {
            $result = $out[$i];
            if ($result !== null) {
                $results[$i] = new Handle($result, $free);
            }
            $error = $outErrors[$i];
            if ($error !== null) {
                $errors[$i] = new Handle($error, 'cashi_error_free');
            }
        }
        return [$results, $errors];
    }

    /**
     * Native::check() for a call on this client, once its events (kept by libcashi during
     * the call) went to the logger and on_response.
     *
     * @throws CashiException
     */
    private function check(int $result): void
    {
        $this->events?->fromClient($this->handle->pointer());
        Native::check($result);
    }

    /**
     * A batch's input read item by item, in its order: [$key, what $parse returned], or
     * [$key, the InvalidArgumentException $parse threw] for an item it refused.
     *
     * @param array<array-key, mixed> $input
     * @param callable(mixed, string): mixed $parse the item and its name for messages
     * @return list<array{0: array-key, 1: mixed}>
     */
    private static function batchItems(array $input, string $field, callable $parse): array
    {
        $items = [];
        foreach ($input as $key => $value) {
            try {
                $items[] = [$key, $parse($value, Native::itemName($field, $key))];
            } catch (InvalidArgumentException $e) {
                $items[] = [$key, $e];
            }
        }
        return $items;
    }

    /**
     * Each item's outcome under its key: the exception the item was refused with here, or
     * what libcashi gave for it (the result, or the exception of its error).
     *
     * @param list<array{0: array-key, 1: mixed}> $items
     * @param array<int, Handle> $results
     * @param array<int, Handle> $errors
     * @param callable(Handle): object $make
     * @return array<array-key, mixed>
     */
    private static function batchResults(array $items, array $results, array $errors, callable $make): array
    {
        $out = [];
        foreach ($items as $i => [$key, $item]) {
            $out[$key] = match (true) {
                $item instanceof InvalidArgumentException => $item,
                isset($results[$i]) => $make($results[$i]),
                default => Native::exception($errors[$i]->pointer()),
            };
        }
        return $out;
    }

    /**
     * createOrder's arguments from one createOrders item.
     *
     * @return array{0: int, 1: ?string, 2: ?string}
     * @throws InvalidArgumentException naming the item and its field
     */
    private static function orderRequest(mixed $request, string $name): array
    {
        if (!is_array($request)) {
            throw new InvalidArgumentException("$name: expected ['amount' => ..., 'order_id' => ..., 'channel' => ...], got " . Native::describe($request));
        }
        foreach (array_keys($request) as $field) {
            if (!in_array($field, ['amount', 'order_id', 'channel'], true)) {
                throw new InvalidArgumentException(sprintf('%s: unknown field %s; the fields are amount, order_id, channel', $name, var_export($field, true)));
            }
        }
        if (!array_key_exists('amount', $request)) {
            throw new InvalidArgumentException("$name: amount is missing");
        }
        $amount = Native::amount($request['amount'], "$name.amount");
        $text = function (string $field) use ($request, $name): ?string {
            $value = $request[$field] ?? null;
            if ($value !== null && !is_string($value)) {
                throw new InvalidArgumentException("$name.$field: expected a string or null, got " . Native::describe($value));
            }
            return $value === null ? null : Native::text($value, "$name.$field");
        };
        return [$amount, $text('order_id'), $text('channel')];
    }

    /**
     * Re-reads the status from Cashi and returns it only when the answer is about this order
     * and says SETTLED (exactly) with exactly $expectedAmount (the amount stored at
     * create-order time); otherwise a PaymentMismatchException. Call it before fulfilling,
     * even after a verified webhook.
     *
     * Pass the verified WebhookEvent itself when you have it: if Cashi's answer says SETTLED
     * without an amount (some providers omit it), the event's signed amount is compared
     * instead and the status's $amountFromWebhook is true. With only an order id such an
     * answer is a PaymentMismatchException saying so.
     *
     * Fulfil once per order id: a webhook may come twice, and a captured one can be
     * replayed (its signature has no timestamp) while confirm() still passes.
     *
     * @param string|Order|WebhookEvent|PaymentStatus $order the order id, or anything naming it
     * @param int|float $expectedAmount whole rupiah
     * @throws CashiException
     */
    public function confirm(mixed $order, mixed $expectedAmount): PaymentStatus
    {
        $event = $order instanceof WebhookEvent ? $order->nativeEvent() : null;
        if ($event !== null) {
            $expected = Native::amount($expectedAmount, 'expected_amount');
            $ffi = Native::ffi();
            $out = $ffi->new('cashi_status*');
            $this->check($ffi->cashi_client_confirm_event(
                $this->handle->pointer(),
                $event->pointer(),
                $expected,
                FFI::addr($out),
                Native::errorOut()
            ));
            return PaymentStatus::take($out);
        }
        $orderId = match (true) {
            is_string($order) => $order,
            $order instanceof Order, $order instanceof WebhookEvent, $order instanceof PaymentStatus => $order->orderId,
            default => throw new InvalidArgumentException(
                'order: expected an order id, an Order, a WebhookEvent or a PaymentStatus, got ' . Native::describe($order)
            ),
        };
        $expected = Native::amount($expectedAmount, 'expected_amount');
        $ffi = Native::ffi();
        $out = $ffi->new('cashi_status*');
        $this->check($ffi->cashi_client_confirm(
            $this->handle->pointer(),
            Native::text($orderId, 'order_id'),
            $expected,
            FFI::addr($out),
            Native::errorOut()
        ));
        return PaymentStatus::take($out);
    }
}
