<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Client;
use Cashi\Exception\ConnectionException;
use Cashi\Exception\InvalidArgumentException;
use PHPUnit\Framework\TestCase;

/**
 * HTTPS with a CA of one's own: the sandbox test.sh starts with --tls (CASHI_TLS_BASE_URL),
 * trusted through its CA certificate's file (CASHI_TLS_CA) with the ca_bundle option.
 */
final class TlsTest extends TestCase
{
    /** @param array<string, mixed> $options */
    private static function client(array $options = []): Client
    {
        return new Client(Sandbox::apiKey(), $options + [
            'base_url' => (string) getenv('CASHI_TLS_BASE_URL'),
            'timeout' => 10,
            'max_retries' => 0,
        ]);
    }

    public function testTheSandboxIsTrustedWithItsCaBundle(): void
    {
        $client = self::client(['ca_bundle' => (string) getenv('CASHI_TLS_CA')]);
        self::assertStringStartsWith('https://', $client->getBaseUrl());
        $id = 'PHP-TLS-' . bin2hex(random_bytes(4));
        $order = $client->createOrder(15000, $id);
        self::assertGreaterThan(15000, $order->amount);
        self::assertSame('PENDING', $client->checkStatus($id)->status);
    }

    public function testWithoutTheBundleTheCertificateIsRefused(): void
    {
        try {
            self::client()->checkStatus('PHP-TLS-NONE');
            self::fail('no exception');
        } catch (ConnectionException $e) {
            self::assertSame('connection', $e->getErrorCode());
            self::assertStringContainsString('invalid peer certificate', $e->getMessage());
            self::assertStringContainsString('ca_bundle', $e->getMessage());
        }
    }

    public function testABadBundleIsAnInvalidArgumentNamingThePath(): void
    {
        $notPem = tempnam(sys_get_temp_dir(), 'cashi-php-notpem');
        file_put_contents($notPem, "PHP-JUNK-CONTENT is not a certificate\n");
        try {
            foreach (['/nonexistent/cashi-ca.pem' => 'cannot be read', $notPem => 'holds no PEM certificate'] as $path => $says) {
                try {
                    self::client(['ca_bundle' => $path]);
                    self::fail("no exception for $path");
                } catch (InvalidArgumentException $e) {
                    self::assertSame('invalid_argument', $e->getErrorCode());
                    self::assertStringStartsWith("ca_bundle: $path ", $e->getMessage());
                    self::assertStringContainsString($says, $e->getMessage());
                    self::assertStringNotContainsString('JUNK', $e->getMessage());
                }
            }
        } finally {
            unlink($notPem);
        }
        foreach ([5, null, ['/x.pem']] as $notAPath) {
            try {
                self::client(['ca_bundle' => $notAPath]);
                self::fail('no exception for ' . var_export($notAPath, true));
            } catch (InvalidArgumentException $e) {
                self::assertStringStartsWith('ca_bundle: expected the path of a PEM file', $e->getMessage());
            }
        }
    }
}
