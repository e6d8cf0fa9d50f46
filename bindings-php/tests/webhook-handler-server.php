<?php

/*
 * A shop's webhook endpoint on Cashi\WebhookHandler, for WebhookHandlerTest (served by
 * `php -S`). Its "database" is the JSON file SHOP_FILE: stored amounts, what was fulfilled,
 * every callback made. Its routes: /GENERATION/webhooks/cashi verifies signatures, .../unsigned
 * also takes unsigned requests (allowUnsigned), .../no-secret has no secret at all.
 */

declare(strict_types=1);

use Cashi\Client;
use Cashi\Exception\PaymentMismatchException;
use Cashi\WebhookEvent;
use Cashi\WebhookHandler;

require (string) getenv('CASHI_PHP_AUTOLOAD');

/** Runs $change on the shop's state under an exclusive lock, and saves it. */
function shop(callable $change): mixed
{
    $handle = fopen((string) getenv('SHOP_FILE'), 'c+');
    flock($handle, LOCK_EX);
    try {
        $state = json_decode((string) stream_get_contents($handle), true) ?: [];
        $result = $change($state);
        ftruncate($handle, 0);
        rewind($handle);
        fwrite($handle, json_encode($state));
        return $result;
    } finally {
        flock($handle, LOCK_UN);
        fclose($handle);
    }
}

function called(string $name): void
{
    shop(function (array &$s) use ($name): void {
        $s['calls'][] = $name;
    });
}

// /GENERATION/webhooks/ROUTE: a delivery for an earlier test (the sandbox keeps retrying
// what was refused) finds another generation, and touches nothing.
$path = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$generation = shop(fn (array &$s) => $s['generation'] ?? null);
if (!preg_match('#^/([^/]+)/webhooks/([a-z-]+)$#', $path, $m) || $m[1] !== $generation) {
    http_response_code(410);
    echo 'stale';
    return;
}
$route = $m[2];
(new WebhookHandler(
    secret: $route === 'no-secret' ? null : (string) getenv('CASHI_WEBHOOK_SECRET'),
    client: new Client((string) getenv('CASHI_API_KEY'), ['base_url' => (string) getenv('CASHI_BASE_URL'), 'max_retries' => 0]),
    expectedAmount: function (string $orderId): ?int {
        called('expectedAmount');
        return shop(fn (array &$s) => $s['orders'][$orderId] ?? null);
    },
    onPaid: function (string $orderId, int $amount, WebhookEvent $event): void {
        $fail = shop(function (array &$s) use ($orderId, $amount, $event): bool {
            $s['calls'][] = 'onPaid';
            if (($s['fail_paid'] ?? 0) > 0) {
                $s['fail_paid']--;
                return true;
            }
            $s['fulfilled'][] = [$orderId, $amount, $event->isVerified(), $event->amount];
            return false;
        });
        if ($fail) {
            throw new RuntimeException('the order database is down');
        }
    },
    alreadyFulfilled: function (string $orderId): bool {
        called('alreadyFulfilled');
        return shop(fn (array &$s) => in_array($orderId, array_column($s['fulfilled'] ?? [], 0), true));
    },
    onMismatch: function (string $orderId, PaymentMismatchException $e): void {
        shop(function (array &$s) use ($orderId, $e): void {
            $s['calls'][] = 'onMismatch';
            $s['mismatches'][] = [$orderId, $e->getErrorCode()];
        });
    },
    onError: function (\Throwable $e, array $context): void {
        shop(function (array &$s) use ($e, $context): void {
            $s['errors'][] = [$context['step'], $e->getMessage()];
        });
    },
    allowUnsigned: $route !== 'cashi',
))->run();
