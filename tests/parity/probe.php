<?php
// The PHP probe of the parity test (run.py): what the installed cashi/cashi package exposes,
// by reflection over its classes. A record class is a class of the package that uses a
// generated fields trait (Cashi\Internal\*Fields; a WebhookResponse or a Client is not a
// record); its fields are its public properties
// and its predicates its public is*() methods, spelled back in snake_case. `raw` (Cashi's
// whole answer) and methods such as qrPng() are not fields. CASHI_PHP_AUTOLOAD names the
// vendor/autoload.php of a project that installed the package.

declare(strict_types=1);

require getenv('CASHI_PHP_AUTOLOAD') ?: __DIR__ . '/../../bindings-php/vendor/autoload.php';

function snake(string $camel): string
{
    return strtolower((string) preg_replace('/[A-Z]/', '_$0', $camel));
}

// The package's own classes, where Composer installed it.
$src = dirname((string) (new ReflectionClass(Cashi\Client::class))->getFileName());
$exposed = [];
foreach (glob("$src/*.php") ?: [] as $file) {
    $name = basename($file, '.php');
    if (!preg_match('/^[A-Z]\w*$/', $name) || !class_exists("Cashi\\$name")) {
        continue; // autoload.php is the package's loader, not a class
    }
    $class = "Cashi\\$name";
    $reflection = new ReflectionClass($class);
    $generated = preg_grep('/^Cashi\\\\Internal\\\\\w+Fields$/', $reflection->getTraitNames());
    if ($generated === [] || $generated === false) {
        continue; // not a record
    }
    $fields = [];
    foreach ($reflection->getProperties(ReflectionProperty::IS_PUBLIC) as $property) {
        if (!$property->isStatic() && $property->getName() !== 'raw') {
            $fields[] = snake($property->getName());
        }
    }
    if ($fields === []) {
        continue; // not a record
    }
    foreach ($reflection->getMethods(ReflectionMethod::IS_PUBLIC) as $method) {
        $type = $method->getReturnType();
        if (!$method->isStatic() && preg_match('/^is[A-Z]/', $method->getName())
            && $method->getNumberOfRequiredParameters() === 0
            && $type instanceof ReflectionNamedType && $type->getName() === 'bool') {
            $fields[] = snake($method->getName());
        }
    }
    $exposed[$reflection->getShortName()] = $fields;
}
echo json_encode($exposed, JSON_PRETTY_PRINT), "\n";
