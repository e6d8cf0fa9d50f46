<?php

declare(strict_types=1);

namespace Cashi;

use Cashi\Internal\Native;
use FFI;

/**
 * Helpers for your own tests: sign a body the way Cashi does, build a webhook body.
 */
final class Testing
{
    /** The x-gateway-signature Cashi would send for $body under $secret (lower-case hex). */
    public static function sign(#[\SensitiveParameter] string $secret, string $body): string
    {
        $ffi = Native::ffi();
        $out = $ffi->new('char*');
        Native::check($ffi->cashi_testing_sign(Native::text($secret, 'secret'), $body, strlen($body), FFI::addr($out), Native::errorOut()));
        try {
            return FFI::string($out);
        } finally {
            $ffi->cashi_string_free($out);
        }
    }

    /** A compact PAYMENT_SETTLED body as Cashi sends it, e.g. to sign with sign(). */
    public static function webhookBody(string $orderId, mixed $amount): string
    {
        $amount = Native::amount($amount, 'amount');
        $ffi = Native::ffi();
        $out = $ffi->new('char*');
        Native::check($ffi->cashi_testing_webhook_body(Native::text($orderId, 'order_id'), $amount, FFI::addr($out), Native::errorOut()));
        try {
            return FFI::string($out);
        } finally {
            $ffi->cashi_string_free($out);
        }
    }
}
