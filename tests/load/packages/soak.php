<?php
// PHP soak and fork checks against a running sandbox (scripts/robustness.sh):
//   CASHI_API_KEY=... CASHI_BASE_URL=... CASHI_PHP_AUTOLOAD=.../vendor/autoload.php php soak.php [CALLS]
// Mixed calls on one client with resident memory after warm-up and at the end; 20 children
// forked with pcntl_fork after the client was used, each making calls. Prints `soak:` and
// `fork:` lines; exits non-zero on any failure.

declare(strict_types=1);

require getenv('CASHI_PHP_AUTOLOAD') ?: __DIR__ . '/../../../bindings-php/vendor/autoload.php';

use Cashi\Client;
use Cashi\Exception\NotFoundException;
use Cashi\Testing;
use Cashi\Webhook;

function rssKib(): int
{
    preg_match('/VmRSS:\s+(\d+)/', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

$calls = (int) ($argv[1] ?? 20000);
$client = new Client();
$webhook = new Webhook('sk_soak');
$body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"SOAK","status":"SETTLED","amount":15023}}';
$signature = Testing::sign('sk_soak', $body);
$pid = getmypid();
$warm = intdiv($calls, 10);
$start = 0;
for ($i = 0; $i < $calls; $i++) {
    if ($i === $warm) {
        gc_collect_cycles();
        $start = rssKib();
    }
    switch ($i % 4) {
        case 0:
            $client->createOrder(40000 + 100 * intdiv($i, 4), "PHPSOAK-$pid-$i");
            break;
        case 1:
            $client->checkStatus('PHPSOAK-' . $pid . '-' . ($i - 1));
            break;
        case 2:
            try {
                $client->checkStatus('MISSING');
                throw new RuntimeException('MISSING was found');
            } catch (NotFoundException) {
            }
            break;
        default:
            $webhook->verify($body, $signature);
    }
}
gc_collect_cycles();
$end = rssKib();
$perCall = ($end - $start) * 1024 / ($calls - $warm);
printf("soak: php, %d calls, RSS after warm-up %d KiB, at the end %d KiB (%.1f B/call)\n", $calls, $start, $end, $perCall);
if ($perCall > 512) {
    fwrite(STDERR, "memory grew $perCall bytes per call\n");
    exit(1);
}

$order = $client->createOrder(15000, "PHPFORK-$pid");
$children = [];
for ($n = 0; $n < 20; $n++) {
    $child = pcntl_fork();
    if ($child === 0) {
        try {
            for ($k = 0; $k < 5; $k++) {
                if ($client->checkStatus($order->orderId)->orderId !== $order->orderId) {
                    exit(1);
                }
            }
            $made = $client->createOrder(60000 + 100 * $n, "PHPFORK-$pid-$n");
            exit($made->requestedAmount === 60000 + 100 * $n ? 0 : 1);
        } catch (Throwable $e) {
            fwrite(STDERR, $e->getMessage() . "\n");
            exit(1);
        }
    }
    $children[] = $child;
}
$failed = 0;
foreach ($children as $child) {
    pcntl_waitpid($child, $status);
    $failed += (pcntl_wifexited($status) && pcntl_wexitstatus($status) === 0) ? 0 : 1;
}
$client->checkStatus($order->orderId);
printf("fork: php, 20 children each made 6 calls after the parent used the client, %d failed\n", $failed);
exit($failed === 0 ? 0 : 1);
