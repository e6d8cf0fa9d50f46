<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `payment_mismatch`: confirm() found the order not SETTLED, or SETTLED with another
 * amount than the one stored at create-order time. Do not fulfil the order.
 */
class PaymentMismatchException extends CashiException
{
    public const CODE = 'payment_mismatch';

    private string $orderId = '';
    private int $expectedAmount = 0;
    private ?int $actualAmount = null;
    private string $status = '';

    /**
     * @param array<string, mixed> $mismatch order_id, expected_amount, actual_amount, status
     */
    public function __construct(string $message, array $mismatch = [])
    {
        parent::__construct($message, self::CODE, null);
        $this->orderId = (string) ($mismatch['order_id'] ?? '');
        $this->expectedAmount = (int) ($mismatch['expected_amount'] ?? 0);
        $actual = $mismatch['actual_amount'] ?? null;
        $this->actualAmount = is_int($actual) ? $actual : null;
        $this->status = (string) ($mismatch['status'] ?? '');
    }

    public function getOrderId(): string
    {
        return $this->orderId;
    }

    /** The amount the merchant expected (stored at create-order time). */
    public function getExpectedAmount(): int
    {
        return $this->expectedAmount;
    }

    /** The amount Cashi reports, or null when it reported none. */
    public function getActualAmount(): ?int
    {
        return $this->actualAmount;
    }

    /** The status Cashi reports (PENDING, SETTLED, EXPIRED, ...). */
    public function getStatus(): string
    {
        return $this->status;
    }
}
