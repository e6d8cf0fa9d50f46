<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;

/**
 * The test sandbox (started by test.sh): its base URL, API key and control endpoints.
 */
final class Sandbox
{
    public static function baseUrl(): string
    {
        return (string) getenv('CASHI_BASE_URL');
    }

    public static function apiKey(): string
    {
        return (string) getenv('CASHI_API_KEY');
    }

    /** @param array<string, mixed> $options */
    public static function client(array $options = []): Client
    {
        return new Client(self::apiKey(), $options + [
            'base_url' => self::baseUrl(),
            'timeout' => 10,
            'retry_backoff' => [0.02, 0.1],
        ]);
    }

    /**
     * Calls a control endpoint under /api/sandbox/.
     *
     * @param array<string, mixed>|null $body
     * @return array{0: int, 1: array<string, mixed>}
     */
    public static function call(string $method, string $path, ?array $body = null): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "x-api-key: " . self::apiKey() . "\r\nContent-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR),
            'ignore_errors' => true,
            'timeout' => 30,
        ]]);
        $answer = file_get_contents(self::baseUrl() . '/sandbox/' . $path, false, $context);
        $status = 0;
        foreach ($http_response_header ?? [] as $line) {
            if (preg_match('#^HTTP/\S+ (\d{3})#', $line, $m)) {
                $status = (int) $m[1];
            }
        }
        $decoded = json_decode((string) $answer, true);
        return [$status, is_array($decoded) ? $decoded : []];
    }

    /** @param array<string, mixed>|null $body */
    public static function ok(string $method, string $path, ?array $body = null): array
    {
        [$status, $answer] = self::call($method, $path, $body);
        if ($status !== 200) {
            throw new \RuntimeException("sandbox $method $path answered $status: " . json_encode($answer));
        }
        return $answer;
    }

    /** @param array<string, mixed> $fault */
    public static function fault(array $fault): void
    {
        self::ok('POST', 'faults', $fault);
    }

    public static function clearFaults(): void
    {
        self::ok('DELETE', 'faults');
    }

    public static function pay(string $orderId, ?int $amount = null): void
    {
        self::ok('POST', 'orders/' . rawurlencode($orderId) . '/pay', $amount === null ? null : ['amount' => $amount]);
    }

    public static function expire(string $orderId): void
    {
        self::ok('POST', 'orders/' . rawurlencode($orderId) . '/expire');
    }

    public static function id(string $prefix): string
    {
        return $prefix . '-' . getmypid() . '-' . bin2hex(random_bytes(6));
    }
}
