<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `api`: Another 4xx, or success:false from Cashi.
 */
class ApiException extends CashiException
{
    public const CODE = 'api';
}
