<?php

declare(strict_types=1);

namespace Cashi\Exception;

/**
 * `not_found`: 404: Cashi knows no such order.
 */
class NotFoundException extends ApiException
{
    public const CODE = 'not_found';
}
