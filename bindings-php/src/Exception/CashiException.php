<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * The base of every error the Cashi SDK throws. Catch it to handle them all; catch a
 * subclass (one per error kind) to handle one. getErrorCode() is the stable code string
 * shared by every Cashi SDK (Python err.code, JS err.code, C cashi_error_code()).
 */
class CashiException extends \RuntimeException
{
    /** The stable code of this class's error kind. */
    public const CODE = '';

    /** @var array<string, class-string<CashiException>> */
    private const CLASSES = [
        'invalid_argument' => InvalidArgumentException::class,
        'authentication' => AuthenticationException::class,
        'not_found' => NotFoundException::class,
        'conflict' => ConflictException::class,
        'rate_limited' => RateLimitException::class,
        'server' => ServerException::class,
        'api' => ApiException::class,
        'timeout' => TimeoutException::class,
        'connection' => ConnectionException::class,
        'decode' => DecodeException::class,
        'signature_invalid' => SignatureVerificationException::class,
        'webhook_payload' => WebhookPayloadException::class,
        'payment_mismatch' => PaymentMismatchException::class,
        'internal' => InternalException::class,
    ];

    private string $errorCode;
    private ?int $httpStatus;

    public function __construct(
        string $message,
        ?string $errorCode = null,
        ?int $httpStatus = null,
        ?\Throwable $previous = null
    ) {
        parent::__construct($message, $httpStatus ?? 0, $previous);
        $this->errorCode = $errorCode ?? (static::CODE !== '' ? static::CODE : 'internal');
        $this->httpStatus = $httpStatus;
    }

    /** The stable code string, e.g. "not_found". */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** The HTTP status of Cashi's answer that caused this error, or null. */
    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    /**
     * The exception for an error detail from libcashi
     * (`{"code", "message", "http_status", "mismatch"}`).
     *
     * @param array<string, mixed> $detail
     * @internal
     */
    public static function fromDetail(array $detail): self
    {
        $code = is_string($detail['code'] ?? null) ? $detail['code'] : 'internal';
        $message = is_string($detail['message'] ?? null) ? $detail['message'] : 'unknown error';
        $status = is_int($detail['http_status'] ?? null) ? $detail['http_status'] : null;
        if ($code === 'payment_mismatch') {
            return new PaymentMismatchException($message, is_array($detail['mismatch'] ?? null) ? $detail['mismatch'] : []);
        }
        $class = self::CLASSES[$code] ?? self::class;
        return new $class($message, $code, $status);
    }

    /**
     * Every error code and its exception class.
     *
     * @return array<string, class-string<CashiException>>
     */
    public static function classes(): array
    {
        return self::CLASSES;
    }
}
