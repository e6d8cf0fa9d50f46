//! The PHP package's record fields (`bindings-php/src/Internal/<Record>Fields.php`): for each
//! schema a trait with its fields as readonly typed properties (camelCase, docblocks from
//! the schema), its predicates as methods (`isPending()`), and the code that reads them by
//! name from libcashi's `cashi_<record>_fields` struct (`tools/codegen/src/c.rs`) or from
//! the record's JSON view. The hand-written classes (`Order`, `PaymentStatus`,
//! `WebhookEvent`: what they do beyond their fields) use the traits; a nested record with
//! nothing else to it (`VirtualAccount`, `RetailCode`) is generated whole.
//!
//! A timestamp is made on its first read (`DateTimeImmutable` costs more than the rest of a
//! webhook's read): its property is left unset until then, and the class's `__get` calls
//! `readLazy`.

use std::fmt::Write;

use cashi::model::{Field, Schema, Type, SCHEMAS};

use crate::c::c_name;
use crate::names::camel;
use crate::Generated;

const HEADER: &str = "<?php\n\n// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- write`);\n// do not edit.\n\ndeclare(strict_types=1);\n\n";

/// Whether `schema` is nested in another (then its class is generated whole).
fn is_nested(schema: &Schema) -> bool {
    SCHEMAS.iter().any(|s| {
        s.fields
            .iter()
            .any(|f| matches!(f.ty, Type::Record(n) if n.name == schema.name))
    })
}

fn php_type(field: &Field) -> String {
    let base = match field.ty {
        Type::Text => "string".to_string(),
        Type::Integer => "int".to_string(),
        Type::Decimal => "float".to_string(),
        Type::Boolean => "bool".to_string(),
        Type::Timestamp => "\\DateTimeImmutable".to_string(),
        Type::Record(nested) => format!("\\Cashi\\{}", nested.name),
    };
    if field.optional {
        format!("?{base}")
    } else {
        base
    }
}

/// ` * line` docblock lines of `text`, wrapped at 100 columns after `indent`.
fn docblock(out: &mut String, indent: &str, text: &str) {
    writeln!(out, "{indent}/**").unwrap();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            writeln!(out, "{indent} *").unwrap();
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent.len() + 3 + line.len() + 1 + word.len() > 100 {
                writeln!(out, "{indent} * {line}").unwrap();
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        writeln!(out, "{indent} * {line}").unwrap();
    }
    writeln!(out, "{indent} */").unwrap();
}

/// A field's doc in PHP terms.
fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.to_string();
    match field.ty {
        Type::Timestamp => doc.push_str(" Made on first read."),
        _ if field.optional => doc.push_str(" Null when absent."),
        _ => {}
    }
    doc
}

/// The expression for `field`'s value in libcashi's fields struct `$f`.
fn from_struct(field: &Field) -> String {
    let n = field.name;
    match field.ty {
        Type::Integer | Type::Decimal | Type::Boolean if field.optional => {
            format!("$f->has_{n} ? $f->{n} : null")
        }
        Type::Record(nested) if field.optional => {
            format!(
                "$f->{n} === null ? null : \\Cashi\\{}::fromNative($f->{n})",
                nested.name
            )
        }
        Type::Record(nested) => format!("\\Cashi\\{}::fromNative($f->{n})", nested.name),
        _ => format!("$f->{n}"),
    }
}

/// The expression for `field`'s value in the JSON view `$data`.
fn from_array(field: &Field) -> String {
    let n = field.name;
    let value = match field.ty {
        Type::Decimal => format!("(float) $data['{n}']"),
        Type::Record(nested) => format!("\\Cashi\\{}::fromArray($data['{n}'])", nested.name),
        _ => format!("$data['{n}']"),
    };
    match field.ty {
        Type::Decimal | Type::Record(_) if field.optional => {
            format!("isset($data['{n}']) ? {value} : null")
        }
        _ if field.optional => format!("{value} ?? null"),
        _ => value,
    }
}

/// Sets timestamp property `prop` from the RFC 3339 text `expr`: null now, or the text kept
/// and the property unset until its first read (written out, not a call: a webhook's read
/// is a few microseconds, and a PHP call a visible share of them).
fn later(out: &mut String, prop: &str, expr: &str) {
    writeln!(
        out,
        "        if (($text = {expr}) === null) {{\n            $this->{prop} = null;\n        }} else {{\n            \
         $this->unreadTimes['{prop}'] = $text;\n            unset($this->{prop});\n        }}"
    )
    .unwrap();
}

fn fields_trait(schema: &'static Schema) -> Generated {
    let name = schema.name;
    let c = c_name(schema);
    let has_times = schema
        .fields
        .iter()
        .any(|f| matches!(f.ty, Type::Timestamp));
    let mut out = String::from(HEADER);
    out.push_str("namespace Cashi\\Internal;\n\nuse FFI\\CData;\n\n");
    docblock(
        &mut out,
        "",
        &format!(
            "{} Its fields, from the core's schema (core/src/model.rs), read by name from \
             libcashi's `cashi_{c}_fields` (`readFields`) or from the record's JSON view \
             (`readArray`).\n\n@internal",
            schema.doc
        ),
    );
    writeln!(out, "trait {name}Fields\n{{").unwrap();
    for field in schema.fields.iter().filter(|f| !f.predicate) {
        docblock(&mut out, "    ", &field_doc(field));
        writeln!(
            out,
            "    public readonly {} ${};\n",
            php_type(field),
            camel(field.name)
        )
        .unwrap();
    }
    for field in schema.fields.iter().filter(|f| f.predicate) {
        writeln!(out, "    private readonly bool ${};\n", camel(field.name)).unwrap();
    }
    if has_times {
        writeln!(
            out,
            "    /** @var array<string, string> The timestamps not read yet, as RFC 3339 text, by property. */"
        )
        .unwrap();
        writeln!(out, "    private array $unreadTimes = [];\n").unwrap();
    }
    for field in schema.fields.iter().filter(|f| f.predicate) {
        docblock(&mut out, "    ", field.doc);
        writeln!(
            out,
            "    public function {0}(): bool\n    {{\n        return $this->{0};\n    }}\n",
            camel(field.name)
        )
        .unwrap();
    }

    docblock(
        &mut out,
        "    ",
        &format!("Sets every field from libcashi's `cashi_{c}_fields`, by name."),
    );
    writeln!(
        out,
        "    private function readFields(CData $f): void\n    {{"
    )
    .unwrap();
    for field in schema.fields {
        let prop = camel(field.name);
        if matches!(field.ty, Type::Timestamp) {
            later(&mut out, &prop, &format!("$f->{}", field.name));
        } else {
            writeln!(out, "        $this->{prop} = {};", from_struct(field)).unwrap();
        }
    }
    writeln!(out, "    }}\n").unwrap();

    docblock(
        &mut out,
        "    ",
        &format!(
            "Sets every field from the record's JSON view (`cashi_{c}_to_json`, decoded), by \
             name.\n\n@param array<string, mixed> $data"
        ),
    );
    writeln!(
        out,
        "    private function readArray(array $data): void\n    {{"
    )
    .unwrap();
    for field in schema.fields {
        let prop = camel(field.name);
        if matches!(field.ty, Type::Timestamp) {
            later(&mut out, &prop, &format!("$data['{}'] ?? null", field.name));
        } else {
            writeln!(out, "        $this->{prop} = {};", from_array(field)).unwrap();
        }
    }
    writeln!(out, "    }}\n").unwrap();

    if has_times {
        out.push_str(
            "    /** Makes a timestamp on its first read; false for any other name. */\n    \
             private function readLazy(string $name): bool\n    {\n        \
             if (!isset($this->unreadTimes[$name])) {\n            return false;\n        }\n        \
             $this->{$name} = new \\DateTimeImmutable($this->unreadTimes[$name]);\n        \
             unset($this->unreadTimes[$name]);\n        return true;\n    }\n\n",
        );
        out.push_str(
            "    /** Whether $name is a timestamp not read yet (it is set, not null). */\n    \
             private function isLazy(string $name): bool\n    {\n        \
             return isset($this->unreadTimes[$name]);\n    }\n",
        );
    } else {
        out.push_str(
            "    /** No field of this record is read lazily. */\n    \
             private function readLazy(string $name): bool\n    {\n        \
             return false;\n    }\n\n",
        );
        out.push_str(
            "    /** No field of this record is read lazily. */\n    \
             private function isLazy(string $name): bool\n    {\n        \
             return false;\n    }\n",
        );
    }
    out.push_str("}\n");
    Generated {
        path: leak(format!("bindings-php/src/Internal/{name}Fields.php")),
        text: out,
    }
}

/// The whole class of a nested record: its fields and how it is made.
fn nested_class(schema: &'static Schema) -> Generated {
    let name = schema.name;
    let c = c_name(schema);
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "namespace Cashi;\n\nuse Cashi\\Internal\\Native;\nuse Cashi\\Internal\\{name}Fields;\nuse FFI\\CData;\n\n"
    ));
    docblock(
        &mut out,
        "",
        &format!(
            "{} Immutable; part of the record it came from, read with it.",
            schema.doc
        ),
    );
    writeln!(out, "final class {name}\n{{\n    use {name}Fields;\n").unwrap();
    out.push_str("    private function __construct()\n    {\n    }\n\n");
    docblock(
        &mut out,
        "    ",
        &format!(
            "@internal Read from libcashi's `cashi_{c} *`, which the record it is part of owns."
        ),
    );
    writeln!(
        out,
        "    public static function fromNative(CData $native): self\n    {{\n        \
         [$f, $address] = Native::slot('cashi_{c}_fields');\n        \
         Native::ffi()->cashi_{c}_get_fields($native, $address);\n        \
         $record = new self();\n        $record->readFields($f);\n        return $record;\n    }}\n"
    )
    .unwrap();
    docblock(
        &mut out,
        "    ",
        "@internal Read from its part of the JSON view of the record it is part of.\n\n\
         @param array<string, mixed> $data",
    );
    out.push_str(
        "    public static function fromArray(array $data): self\n    {\n        \
         $record = new self();\n        $record->readArray($data);\n        return $record;\n    }\n\n",
    );
    docblock(
        &mut out,
        "    ",
        "@internal A timestamp, made on its first read.",
    );
    out.push_str(
        "    public function __get(string $name): mixed\n    {\n        \
         if ($this->readLazy($name)) {\n            return $this->{$name};\n        }\n        \
         trigger_error(sprintf('Undefined property: %s::$%s', self::class, $name), E_USER_WARNING);\n        \
         return null;\n    }\n\n",
    );
    out.push_str(
        "    /** @internal */\n    public function __isset(string $name): bool\n    {\n        \
         return $this->isLazy($name);\n    }\n}\n",
    );
    Generated {
        path: leak(format!("bindings-php/src/{name}.php")),
        text: out,
    }
}

/// A generated file's path, named after its schema: made once per run of the generator,
/// which then ends.
fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

/// Every PHP file generated from the schemas.
pub fn generate() -> Vec<Generated> {
    let mut files = Vec::new();
    for schema in SCHEMAS {
        files.push(fields_trait(schema));
        if is_nested(schema) {
            files.push(nested_class(schema));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_a_typed_property_or_a_predicate_method_read_by_name() {
        let files = generate();
        for schema in SCHEMAS {
            let path = format!("bindings-php/src/Internal/{}Fields.php", schema.name);
            let text = &files.iter().find(|f| f.path == path).expect("a trait").text;
            for field in schema.fields {
                let name = camel(field.name);
                if field.predicate {
                    assert!(
                        text.contains(&format!("public function {name}(): bool")),
                        "{name}"
                    );
                } else {
                    assert!(
                        text.contains(&format!("public readonly {} ${name};", php_type(field))),
                        "{name}"
                    );
                }
                assert!(
                    text.contains(&format!("$f->{}", field.name)),
                    "{name} from C"
                );
                assert!(
                    text.contains(&format!("$data['{}']", field.name)),
                    "{name} from JSON"
                );
            }
        }
        let nested: Vec<_> = files
            .iter()
            .filter(|f| !f.path.contains("Internal"))
            .collect();
        assert_eq!(
            nested.iter().map(|f| f.path).collect::<Vec<_>>(),
            [
                "bindings-php/src/VirtualAccount.php",
                "bindings-php/src/RetailCode.php"
            ]
        );
    }
}
