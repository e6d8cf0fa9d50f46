//! The Node package's records: `bindings-node/records.d.ts` (the fields of each result, as
//! TypeScript interfaces that `index.d.ts` merges into its classes) and
//! `bindings-node/records.js`: for each result class, a function copying its fields by name
//! from the object the native module made onto the class's instance, or, for a class the
//! native module fills in place ([`FILLED_IN_PLACE`]), one giving a new instance every field
//! (null) in the core's order.
//!
//! Names are camelCase (`order_id` → `orderId`), as the native module (`src/models.rs`)
//! names the properties it sets. Optional fields are `null` when absent; timestamps are
//! `Date`s; nested records are plain objects typed by their own interface.

use cashi::model::{Schema, Type, SCHEMAS};

use crate::names::camel;
use crate::Generated;

const HEADER: &str = "Generated from core/src/model.rs by tools/codegen \
                      (`cargo run -p cashi-codegen -- write`); do not edit.";

/// The results whose fields the native module sets on an instance `index.js` made
/// (`bindings-node/src/models.rs`, `fill`): a verified webhook event, made synchronously,
/// where redefining fields costs V8 less than adding them to a new object.
const FILLED_IN_PLACE: &[&str] = &["WebhookEvent"];

pub fn generate() -> Vec<Generated> {
    vec![
        Generated {
            path: "bindings-node/records.d.ts",
            text: declarations(),
        },
        Generated {
            path: "bindings-node/records.js",
            text: copiers(),
        },
    ]
}

/// The interface's name of a schema: `OrderFields`.
fn interface(schema: &Schema) -> String {
    format!("{}Fields", schema.name)
}

fn ts_type(ty: Type) -> String {
    match ty {
        Type::Text => "string".into(),
        Type::Integer | Type::Decimal => "number".into(),
        Type::Boolean => "boolean".into(),
        Type::Timestamp => "Date".into(),
        Type::Record(nested) => interface(nested),
    }
}

/// A doc text as a JSDoc comment at `indent`.
fn jsdoc(indent: &str, doc: &str) -> String {
    format!("{indent}/** {} */\n", doc.replace("*/", "*\\/"))
}

fn declarations() -> String {
    let mut out = format!(
        "// {HEADER}\n//\n// The fields of the SDK's results, declared once in the Rust core. index.d.ts merges each\n\
         // result's interface into its class (Order, PaymentStatus, WebhookEvent); the nested ones\n\
         // (an order's virtualAccount and retail) are plain objects.\n"
    );
    for schema in SCHEMAS {
        out.push('\n');
        out.push_str(&jsdoc("", schema.doc));
        out.push_str(&format!("export interface {} {{\n", interface(schema)));
        for field in schema.fields {
            out.push_str(&jsdoc("  ", field.doc));
            let null = if field.optional { " | null" } else { "" };
            out.push_str(&format!(
                "  readonly {}: {}{null}\n",
                camel(field.name),
                ts_type(field.ty)
            ));
        }
        out.push_str("}\n");
    }
    out
}

/// Whether another schema nests this one (its objects then need no class of their own).
fn is_nested(schema: &Schema) -> bool {
    SCHEMAS.iter().any(|s| {
        s.fields
            .iter()
            .any(|f| matches!(f.ty, Type::Record(n) if std::ptr::eq(n, schema)))
    })
}

/// The name of the function `records.js` has for a result class.
fn function(schema: &Schema) -> String {
    if FILLED_IN_PLACE.contains(&schema.name) {
        format!("init{}", schema.name)
    } else {
        format!("copy{}", schema.name)
    }
}

fn copiers() -> String {
    let mut out = format!(
        "// {HEADER}\n//\n// Each copy function copies one result's fields by name, in the core's order, from the object\n\
         // the native module made (src/models.rs sets them under these names) onto the instance of the\n\
         // class index.js exports; each init function gives a new instance every field (null), in the\n\
         // core's order, for the native module to set. Nested records (an order's virtualAccount) are\n\
         // the native module's objects themselves.\n\n'use strict'\n"
    );
    let top: Vec<&Schema> = SCHEMAS.into_iter().filter(|s| !is_nested(s)).collect();
    for schema in &top {
        let init = FILLED_IN_PLACE.contains(&schema.name);
        let params = if init { "to" } else { "to, from" };
        out.push_str(&format!(
            "\n/** {}. {} */\nfunction {}({params}) {{\n",
            schema.name,
            schema.doc,
            function(schema)
        ));
        for field in schema.fields {
            let name = camel(field.name);
            if init {
                out.push_str(&format!("  to.{name} = null\n"));
            } else {
                out.push_str(&format!("  to.{name} = from.{name}\n"));
            }
        }
        out.push_str("}\n");
    }
    let names: Vec<String> = top.iter().map(|s| function(s)).collect();
    out.push_str(&format!("\nmodule.exports = {{ {} }}\n", names.join(", ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_declared_and_copied_by_its_camel_case_name() {
        let dts = declarations();
        let js = copiers();
        assert!(dts.contains("export interface OrderFields {"));
        assert!(dts.contains("  readonly orderId: string\n"));
        assert!(dts.contains("  readonly expiresAt: Date | null\n"));
        assert!(dts.contains("  readonly virtualAccount: VirtualAccountFields | null\n"));
        assert!(dts.contains("  readonly isFinal: boolean\n"));
        assert!(dts.contains("  readonly paidAtTime: Date | null\n"));
        for schema in SCHEMAS {
            for field in schema.fields {
                let name = camel(field.name);
                assert!(dts.contains(&format!("  readonly {name}: ")), "{name}");
                if FILLED_IN_PLACE.contains(&schema.name) {
                    assert!(js.contains(&format!("  to.{name} = null\n")), "{name}");
                } else if !is_nested(schema) {
                    assert!(
                        js.contains(&format!("  to.{name} = from.{name}\n")),
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_the_results_with_a_class_get_a_function() {
        let js = copiers();
        assert!(js.contains("function copyOrder(to, from) {"));
        assert!(js.contains("function copyPaymentStatus(to, from) {"));
        assert!(js.contains("function initWebhookEvent(to) {"));
        assert!(!js.contains("VirtualAccount("));
        assert!(
            js.ends_with("module.exports = { copyOrder, copyPaymentStatus, initWebhookEvent }\n")
        );
    }
}
