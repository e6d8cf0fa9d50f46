<?php

declare(strict_types=1);

namespace Cashi\Tests;

use Cashi\Exception\InvalidArgumentException;
use Cashi\Exception\SignatureVerificationException;
use Cashi\Exception\WebhookPayloadException;
use Cashi\Testing;
use Cashi\Webhook;
use Cashi\WebhookEvent;
use PHPUnit\Framework\TestCase;

final class WebhookTest extends TestCase
{
    private const SECRET = 'sk_0123456789abcdef0123456789abcdef';

    public function testVerifyReadsEveryField(): void
    {
        $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-7","status":"SETTLED","amount":50078,'
            . '"payment_method":"QRIS","paid_at":"2025-03-01 10:20:30","transaction_id":"31277571482","extra":[1]}}';
        $event = (new Webhook(self::SECRET))->verify($body, Testing::sign(self::SECRET, $body));
        self::assertInstanceOf(WebhookEvent::class, $event);
        self::assertSame('PAYMENT_SETTLED', $event->event);
        self::assertSame('INV-7', $event->orderId);
        self::assertSame(50078, $event->amount);
        self::assertSame('SETTLED', $event->status);
        self::assertSame('QRIS', $event->paymentMethod);
        self::assertSame('2025-03-01 10:20:30', $event->paidAt);
        self::assertTrue(isset($event->paidAtTime));
        self::assertSame('2025-03-01T10:20:30+07:00', $event->paidAtTime?->format(DATE_RFC3339));
        self::assertSame($event->paidAtTime, $event->paidAtTime, 'made once');
        self::assertSame('31277571482', $event->transactionId);
        self::assertSame([1], $event->raw['data']['extra']);
        self::assertTrue($event->isSettled());
        self::assertFalse($event->isTest());
        // Without paid_at, or with one that is not a time: null, as in every language.
        foreach (['', ',"paid_at":"soon"'] as $paidAt) {
            $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-7","status":"SETTLED","amount":1' . $paidAt . '}}';
            $event = (new Webhook(self::SECRET))->verify($body, Testing::sign(self::SECRET, $body));
            self::assertNull($event->paidAtTime);
            self::assertFalse(isset($event->paidAtTime));
        }
    }

    /**
     * fromGlobals finds the signature where PHP puts the header, $_SERVER's
     * HTTP_X_GATEWAY_SIGNATURE (libcashi's lookup). The CLI's php://input is empty: a
     * matching signature of the empty body gets as far as reading it.
     */
    public function testFromGlobalsFindsTheSignatureInServerVariables(): void
    {
        $saved = $_SERVER;
        try {
            $_SERVER['HTTP_X_GATEWAY_SIGNATURE'] = Testing::sign(self::SECRET, '');
            $_SERVER['WITH_NUL'] = "a\0b"; // left out, not a refusal of the whole lookup
            try {
                Webhook::fromGlobals(self::SECRET);
                self::fail('the empty body is not an event');
            } catch (WebhookPayloadException) {
                // signed: the signature was found and matched
            }
            $_SERVER['HTTP_X_GATEWAY_SIGNATURE'] = Testing::sign('sk_other', '');
            try {
                Webhook::fromGlobals(self::SECRET);
                self::fail('verified under another secret');
            } catch (SignatureVerificationException $e) {
                self::assertStringContainsString('does not match', $e->getMessage());
            }
            unset($_SERVER['HTTP_X_GATEWAY_SIGNATURE']);
            try {
                Webhook::fromGlobals(self::SECRET);
                self::fail('verified without a signature');
            } catch (SignatureVerificationException $e) {
                self::assertStringContainsString('no x-gateway-signature header', $e->getMessage());
            }
        } finally {
            $_SERVER = $saved;
        }
    }

    public function testNoSecretIsTheCoresRefusal(): void
    {
        try {
            new Webhook([]);
            self::fail('a verifier without a secret');
        } catch (InvalidArgumentException $e) {
            self::assertStringStartsWith('webhook_secret: no secret given', $e->getMessage());
        }
    }

    /** A decoded body is the classic mistake: the error says where the raw body is. */
    public function testADecodedBodyIsRefusedWithTheWayToTheRawOne(): void
    {
        $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED","amount":15023}}';
        $signature = Testing::sign(self::SECRET, $body);
        $webhook = new Webhook(self::SECRET);
        $calls = [
            'verify' => fn (mixed $b) => $webhook->verify($b, $signature),
            'verifyHeaders' => fn (mixed $b) => $webhook->verifyHeaders($b, ['X-Gateway-Signature' => $signature]),
        ];
        foreach ($calls as $method => $call) {
            foreach ([json_decode($body, true), json_decode($body), 15023, null] as $decoded) {
                try {
                    $call($decoded);
                    self::fail("$method accepted a " . get_debug_type($decoded));
                } catch (\TypeError $e) {
                    self::assertStringContainsString("Webhook::$method(): \$body must be the raw request body", $e->getMessage());
                    self::assertStringContainsString("file_get_contents('php://input')", $e->getMessage());
                    self::assertStringContainsString('getContent()', $e->getMessage());
                    self::assertStringContainsString(get_debug_type($decoded), $e->getMessage());
                }
            }
            self::assertSame('A', $call($body)->orderId);
        }
    }

    /**
     * Dumping an event shows the Webhook that verified it, whose native slots point into the
     * freed event: neither may show any native state (valgrind saw print_r read freed memory).
     */
    public function testDumpsShowNoNativeState(): void
    {
        $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED","amount":15023}}';
        $webhook = new Webhook(self::SECRET);
        $event = $webhook->verify($body, Testing::sign(self::SECRET, $body));
        ob_start();
        var_dump($event, $webhook);
        foreach (['print_r' => print_r($event, true), 'var_dump' => (string) ob_get_clean()] as $how => $dump) {
            self::assertStringNotContainsString('CData', $dump, $how);
            self::assertStringNotContainsString(self::SECRET, $dump, $how);
            self::assertStringContainsString("Cashi's signature over the raw body", $dump, $how);
        }
    }

    public function testRawIsDecodedOnFirstReadAndStaysReadonly(): void
    {
        $body = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-8","status":"SETTLED","amount":15023,"x":{"y":[1,2]}}}';
        $webhook = new Webhook(self::SECRET);
        $event = $webhook->verify($body, Testing::sign(self::SECRET, $body));
        self::assertTrue(isset($event->raw));
        self::assertSame(json_decode($body, true), $event->raw);
        self::assertSame($event->raw, $event->raw);
        foreach ([$event, $webhook->verify($body, Testing::sign(self::SECRET, $body))] as $e) {
            try {
                $e->raw = []; // @phpstan-ignore-line
                self::fail('raw was written');
            } catch (\Error $error) {
                self::assertStringContainsString('readonly', $error->getMessage());
            }
        }
        self::assertSame(json_decode($body, true), $event->raw);
    }

    public function testBinaryBodiesReachTheLibraryWhole(): void
    {
        // A NUL byte inside the body is part of what was signed: no truncation.
        $body = "{\"event\":\"X\"}\0tail";
        $webhook = new Webhook(self::SECRET);
        try {
            $webhook->verify($body, Testing::sign(self::SECRET, "{\"event\":\"X\"}"));
            self::fail('verified a truncated body');
        } catch (SignatureVerificationException $e) {
            self::assertSame('signature_invalid', $e->getErrorCode());
        }
        $this->expectException(\Cashi\Exception\WebhookPayloadException::class);
        $webhook->verify($body, Testing::sign(self::SECRET, $body));
    }

    public function testHeaderForms(): void
    {
        $body = Testing::webhookBody('INV-H', 15023);
        $sig = Testing::sign(self::SECRET, $body);
        $webhook = new Webhook(self::SECRET);
        foreach ([
            ['X-Gateway-Signature' => $sig],
            ['x-gateway-signature' => [$sig]],
            ['Content-Type: application/json', "X-GATEWAY-SIGNATURE: $sig"],
            ['Host' => 'shop.example', 'X-Gateway-Signature' => "sha256=$sig"],
        ] as $headers) {
            self::assertSame('INV-H', $webhook->verifyHeaders($body, $headers)->orderId);
        }
        self::assertTrue(Webhook::isSigned(['x-GATEWAY-signature' => 'ab']));
        self::assertTrue(Webhook::isSigned(['HTTP_X_GATEWAY_SIGNATURE' => 'ab', 'REQUEST_METHOD' => 'POST']));
        self::assertFalse(Webhook::isSigned(['Content-Type' => 'application/json']));
        self::assertFalse(Webhook::isSigned(['X-Other' => "a\nX-Gateway-Signature: $sig"]));
        // A line break in a value cannot smuggle in a second header.
        $this->expectException(SignatureVerificationException::class);
        $webhook->verifyHeaders($body, ['X-Other' => "a\nX-Gateway-Signature: $sig"]);
    }

    /**
     * A text of the event holding U+0000 would reach PHP cut short (a C string ends there),
     * so the id shown would not be the id confirm() checks: it is refused, naming the field.
     */
    public function testNulInAnEventTextIsRefusedNotCut(): void
    {
        $webhook = new Webhook(self::SECRET);
        foreach ([
            'body: order_id' => '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-1\\u0000X","status":"SETTLED","amount":15023}}',
            'body: payment_method' => '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-1","status":"SETTLED","amount":15023,"payment_method":"QR\\u0000IS"}}',
        ] as $field => $body) {
            $signature = Testing::sign(self::SECRET, $body);
            foreach ([
                fn () => $webhook->verify($body, $signature),
                fn () => $webhook->verifyHeaders($body, ['X-Gateway-Signature' => $signature]),
            ] as $verify) {
                try {
                    $verify();
                    self::fail("verified a body whose $field holds U+0000");
                } catch (InvalidArgumentException $e) {
                    self::assertStringContainsString($field, $e->getMessage());
                    self::assertStringContainsString('NUL', $e->getMessage());
                }
            }
        }
        // A NUL byte in a header value is refused too, naming the headers, not replaced.
        $body = Testing::webhookBody('INV-N', 15023);
        $signature = Testing::sign(self::SECRET, $body);
        try {
            $webhook->verifyHeaders($body, ['X-Gateway-Signature' => $signature, 'X-Other' => "a\0b"]);
            self::fail('verified with a NUL byte in the headers');
        } catch (InvalidArgumentException $e) {
            self::assertStringStartsWith('headers: ', $e->getMessage());
        }
    }

    public function testRotationAndBadSecrets(): void
    {
        $body = Testing::webhookBody('INV-R', 15023);
        $rotating = new Webhook(['sk_new', self::SECRET]);
        self::assertSame(15023, $rotating->verify($body, Testing::sign(self::SECRET, $body))->amount);
        self::assertSame(15023, $rotating->verify($body, Testing::sign('sk_new', $body))->amount);
        foreach ([[], [''], ['sk_a', ''], ['sk_a', 5], "sk\0x", ''] as $bad) {
            try {
                new Webhook($bad);
                self::fail('accepted ' . var_export($bad, true));
            } catch (InvalidArgumentException $e) {
                self::assertStringContainsString('webhook_secret', $e->getMessage());
            }
        }
    }

    public function testTestingHelpers(): void
    {
        self::assertSame(
            'ad50de7daeda7c4c7e915d914d1ccaf7353ad09b411c7c81a8431303fed245da',
            Testing::sign(self::SECRET, '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}')
        );
        self::assertSame(hash_hmac('sha256', "bin\0ary", 'k'), Testing::sign('k', "bin\0ary"));
        $body = Testing::webhookBody('TEST-1', 15023.0);
        self::assertStringNotContainsString(' ', $body);
        self::assertTrue((new Webhook('k'))->verify($body, Testing::sign('k', $body))->isTest());
        foreach ([fn () => Testing::sign('', 'b'), fn () => Testing::webhookBody('A', '1'), fn () => Testing::sign("k\0", 'b')] as $call) {
            try {
                $call();
                self::fail('no exception');
            } catch (InvalidArgumentException $e) {
                self::assertSame('invalid_argument', $e->getErrorCode());
            }
        }
    }
}
