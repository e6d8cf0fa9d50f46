<?php

// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);
// do not edit.

declare(strict_types=1);

namespace Cashi\Internal;

use FFI\CData;

/**
 * The virtual-account part of a VA order. Its fields, from the core's schema (core/src/model.rs),
 * read by name from libcashi's `cashi_virtual_account_fields` (`readFields`) or from the record's
 * JSON view (`readArray`).
 *
 * @internal
 */
trait VirtualAccountFields
{
    /**
     * The account number the customer transfers to.
     */
    public readonly string $vaNumber;

    /**
     * The bank's code. Null when absent.
     */
    public readonly ?string $bank;

    /**
     * The bank's name. Null when absent.
     */
    public readonly ?string $bankName;

    /**
     * What the customer transfers, the bank's fee included. Null when absent.
     */
    public readonly ?int $totalAmount;

    /**
     * The bank's fee. Null when absent.
     */
    public readonly ?int $adminFee;

    /**
     * The channel code the order was created with. Null when absent.
     */
    public readonly ?string $kodeChannel;

    /**
     * Sets every field from libcashi's `cashi_virtual_account_fields`, by name.
     */
    private function readFields(CData $f): void
    {
        $this->vaNumber = $f->va_number;
        $this->bank = $f->bank;
        $this->bankName = $f->bank_name;
        $this->totalAmount = $f->has_total_amount ? $f->total_amount : null;
        $this->adminFee = $f->has_admin_fee ? $f->admin_fee : null;
        $this->kodeChannel = $f->kode_channel;
    }

    /**
     * Sets every field from the record's JSON view (`cashi_virtual_account_to_json`, decoded), by
     * name.
     *
     * @param array<string, mixed> $data
     */
    private function readArray(array $data): void
    {
        $this->vaNumber = $data['va_number'];
        $this->bank = $data['bank'] ?? null;
        $this->bankName = $data['bank_name'] ?? null;
        $this->totalAmount = $data['total_amount'] ?? null;
        $this->adminFee = $data['admin_fee'] ?? null;
        $this->kodeChannel = $data['kode_channel'] ?? null;
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
