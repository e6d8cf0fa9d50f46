<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * The payment code of a retail (Alfamart, Indomaret) order. Its fields, from the core's schema
 * (core/src/model.rs), read by name from libcashi's `cashi_retail_code_fields` (`readFields`) or
 * from the record's JSON view (`readArray`).
 *
 * @internal
 */
trait RetailCodeFields
{
    /**
     * The code the customer shows at the till.
     */
    public readonly string $paymentCode;

    /**
     * The store chain's code. Null when absent.
     */
    public readonly ?string $retailCode;

    /**
     * The store chain's name. Null when absent.
     */
    public readonly ?string $retailName;

    /**
     * Sets every field from libcashi's `cashi_retail_code_fields`, by name.
     */
    private function readFields(CData $f): void
    {
        $this->paymentCode = $f->payment_code;
        $this->retailCode = $f->retail_code;
        $this->retailName = $f->retail_name;
    }

    /**
     * Sets every field from the record's JSON view (`cashi_retail_code_to_json`, decoded), by name.
     *
     * @param array<string, mixed> $data
     */
    private function readArray(array $data): void
    {
        $this->paymentCode = $data['payment_code'];
        $this->retailCode = $data['retail_code'] ?? null;
        $this->retailName = $data['retail_name'] ?? null;
    }

    /** No field of this record is read lazily. */
    private function readLazy(string $name): bool
    {
        return false;
    }

    /** No field of this record is read lazily. */
    private function isLazy(string $name): bool
    {
        return false;
    }
}
