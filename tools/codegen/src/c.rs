//! The C library's record accessors (`bindings-c/src/records.rs`): for each schema, a
//! `#[repr(C)]` struct of every field (`cashi_<record>_fields`, PHP's one-call read), the
//! code that fills it from the core's record by the fields' names, and one `extern "C"`
//! accessor per field, which cbindgen puts in `cashi.h` with the schema's docs.
//!
//! The C idiom: `cashi_order_amount(order)`; `cashi_order_has_fee` + `cashi_order_fee` for
//! an optional number or boolean; `const char *` (NULL when absent) for a text, and for a
//! timestamp as RFC 3339 text; `bool cashi_status_is_pending(status)` for a predicate; a
//! nested record as a borrowed handle, `cashi_order_virtual_account(order)`.

use std::fmt::Write;

use cashi::model::{Field, Schema, Type, SCHEMAS};

use crate::names;
use crate::Generated;

/// Where the generated file goes.
pub const PATH: &str = "bindings-c/src/records.rs";

/// The C name of a schema's handle, after `cashi_`: the schemas' long names where the C
/// library has always used short ones, `snake_case` otherwise.
pub fn c_name(schema: &Schema) -> String {
    match schema.name {
        "PaymentStatus" => "status".to_string(),
        "WebhookEvent" => "event".to_string(),
        other => names::snake(other),
    }
}

/// The schema that holds `schema` as a nested record, if any.
fn parent(schema: &Schema) -> Option<&'static Schema> {
    SCHEMAS.iter().copied().find(|s| {
        s.fields
            .iter()
            .any(|f| matches!(f.ty, Type::Record(n) if n.name == schema.name))
    })
}

/// The top-level record `schema` is part of (itself when it is not nested).
fn owner(schema: &'static Schema) -> &'static Schema {
    parent(schema).map_or(schema, owner)
}

/// Whether a field is a text in C (texts and timestamps), and so has a place among the
/// record's texts.
fn is_text(field: &Field) -> bool {
    matches!(field.ty, Type::Text | Type::Timestamp)
}

/// Whether a field has a `has_<field>` flag: an optional number or boolean.
fn has_flag(field: &Field) -> bool {
    field.optional && matches!(field.ty, Type::Integer | Type::Decimal | Type::Boolean)
}

fn rust_type(field: &Field) -> String {
    match field.ty {
        Type::Text | Type::Timestamp => "*const c_char".to_string(),
        Type::Integer => "i64".to_string(),
        Type::Decimal => "f64".to_string(),
        Type::Boolean => "bool".to_string(),
        Type::Record(nested) => format!("*const cashi_{}", c_name(nested)),
    }
}

fn zero(field: &Field) -> &'static str {
    match field.ty {
        Type::Text | Type::Timestamp | Type::Record(_) => "ptr::null()",
        Type::Integer => "0",
        Type::Decimal => "0.0",
        Type::Boolean => "false",
    }
}

/// `/// line` comments of `text`, wrapped at 92 columns after `indent`; paragraphs are
/// separated by a blank line.
pub fn doc(out: &mut String, indent: &str, text: &str) {
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            writeln!(out, "{indent}///").unwrap();
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent.len() + 4 + line.len() + 1 + word.len() > 92 {
                writeln!(out, "{indent}/// {line}").unwrap();
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        writeln!(out, "{indent}/// {line}").unwrap();
    }
}

/// A Rust function's signature as rustfmt writes it: on one line when it fits in 100
/// columns, else one parameter per line.
fn signature(out: &mut String, name: &str, params: &[String], ret: &str) {
    let ret = if ret.is_empty() {
        String::new()
    } else {
        format!(" -> {ret}")
    };
    let one_line = format!("pub extern \"C\" fn {name}({}){ret} {{", params.join(", "));
    if one_line.len() <= 100 {
        writeln!(out, "{one_line}").unwrap();
    } else {
        writeln!(out, "pub extern \"C\" fn {name}(").unwrap();
        for p in params {
            writeln!(out, "    {p},").unwrap();
        }
        writeln!(out, "){ret} {{").unwrap();
    }
}

/// What owns a record's texts, for the ownership line of its accessors' docs.
fn ownership(schema: &'static Schema) -> String {
    let top = owner(schema);
    let top_c = c_name(top);
    if std::ptr::eq(top, schema) {
        format!("Ownership: owned by the {top_c}, valid until `cashi_{top_c}_free`.")
    } else {
        format!("Ownership: owned by the {top_c} it is part of, valid until `cashi_{top_c}_free`.")
    }
}

fn fields_struct(out: &mut String, schema: &'static Schema) {
    let c = c_name(schema);
    doc(
        out,
        "",
        &format!(
            "{} Every field as its accessor `cashi_{c}_<field>` returns it, for callers that \
             pay for each call (PHP's FFI reads them all with one `cashi_{c}_get_fields`). \
             Texts are NULL where absent; each `has_<field>` says whether the value after it \
             is present. {}",
            schema.doc,
            ownership(schema).replace("Ownership: owned", "Texts and nested records are owned")
        ),
    );
    writeln!(
        out,
        "#[repr(C)]\n#[derive(Clone, Copy)]\npub struct cashi_{c}_fields {{"
    )
    .unwrap();
    for field in schema.fields {
        if has_flag(field) {
            doc(
                out,
                "    ",
                &format!("Whether `{}` is present.", field.name),
            );
            writeln!(out, "    pub has_{}: bool,", field.name).unwrap();
        }
        doc(out, "    ", &field_doc(field));
        writeln!(out, "    pub {}: {},", field.name, rust_type(field)).unwrap();
    }
    writeln!(out, "}}\n").unwrap();
}

/// What an accessor of `field` returns when the value is absent or the handle `c` is NULL.
fn accessor_note(field: &Field, c: &str) -> String {
    let time = if matches!(field.ty, Type::Timestamp) {
        " As RFC 3339 text (`2025-03-01T10:20:30+07:00`)."
    } else {
        ""
    };
    let empty = match field.ty {
        Type::Text | Type::Timestamp | Type::Record(_) => "NULL",
        Type::Integer | Type::Decimal => "0",
        Type::Boolean => "false",
    };
    if field.optional && has_flag(field) {
        format!(
            "{time} {empty} when absent (see `cashi_{c}_has_{}`) or when `{c}` is NULL.",
            field.name
        )
    } else if field.optional {
        format!("{time} {empty} when absent or when `{c}` is NULL.")
    } else if empty == "NULL" {
        format!("{time} NULL only when `{c}` is NULL.")
    } else {
        format!("{time} {empty} when `{c}` is NULL.")
    }
}

/// A field's doc in C terms: the schema's doc, then what C gets when it is absent.
fn field_doc(field: &Field) -> String {
    let absent = match field.ty {
        Type::Text if field.optional => " NULL when absent.",
        Type::Timestamp => " As RFC 3339 text (`2025-03-01T10:20:30+07:00`); NULL when absent.",
        Type::Record(_) => " NULL when absent.",
        Type::Integer | Type::Decimal if field.optional => " 0 when absent.",
        Type::Boolean if field.optional => " false when absent.",
        _ => "",
    };
    format!("{}{absent}", field.doc)
}

fn record_struct(out: &mut String, schema: &'static Schema) {
    let c = c_name(schema);
    let name = schema.name;
    let texts = schema.fields.iter().filter(|f| is_text(f)).count();
    let nested: Vec<&Field> = schema
        .fields
        .iter()
        .filter(|f| matches!(f.ty, Type::Record(_)))
        .collect();
    if parent(schema).is_some() {
        doc(
            out,
            "",
            &format!(
                "{} Part of the {top} it came from: borrowed, valid until `cashi_{top}_free`, \
                 never freed on its own. Immutable; its accessors may be called from any thread.",
                schema.doc,
                top = c_name(owner(schema))
            ),
        );
        writeln!(
            out,
            "pub struct cashi_{c} {{\n    pub(crate) record: {name}Record,\n}}\n"
        )
        .unwrap();
    }
    doc(
        out,
        "",
        &format!(
            "The fields of a `cashi_{c}` as C reads them, and what their pointers point into."
        ),
    );
    writeln!(out, "pub(crate) struct {name}Record {{").unwrap();
    writeln!(out, "    pub(crate) fields: cashi_{c}_fields,").unwrap();
    writeln!(out, "    _texts: Texts<{texts}>,").unwrap();
    for f in &nested {
        let Type::Record(n) = f.ty else {
            unreachable!()
        };
        writeln!(out, "    _{}: Option<Box<cashi_{}>>,", f.name, c_name(n)).unwrap();
    }
    writeln!(out, "}}\n").unwrap();

    writeln!(out, "impl {name}Record {{").unwrap();
    doc(
        out,
        "    ",
        &format!(
            "Reads the core's `{name}` by its fields' names. `Err` names the first field whose text \
             holds U+0000 (`virtual_account.va_number` for a nested one), which a C string \
             cannot carry."
        ),
    );
    writeln!(
        out,
        "    pub(crate) fn read(record: &dyn Record) -> Result<Self, String> {{"
    )
    .unwrap();
    writeln!(
        out,
        "        let mut texts = TextsBuilder::<{texts}>::new();"
    )
    .unwrap();
    writeln!(out, "        let mut fields = cashi_{c}_fields {{").unwrap();
    for field in schema.fields {
        if has_flag(field) {
            writeln!(out, "            has_{}: false,", field.name).unwrap();
        }
        writeln!(out, "            {}: {},", field.name, zero(field)).unwrap();
    }
    writeln!(out, "        }};").unwrap();
    for f in &nested {
        writeln!(out, "        let mut {} = None;", f.name).unwrap();
    }
    writeln!(
        out,
        "        record.visit(&mut |field, value| match (field.name, value) {{"
    )
    .unwrap();
    let mut text_index = 0;
    for field in schema.fields {
        let n = field.name;
        match field.ty {
            Type::Text | Type::Timestamp => {
                writeln!(
                    out,
                    "            (\"{n}\", value) => texts.set({text_index}, \"{n}\", value),"
                )
                .unwrap();
                text_index += 1;
            }
            Type::Integer | Type::Decimal | Type::Boolean => {
                let variant = match field.ty {
                    Type::Integer => "Integer",
                    Type::Decimal => "Decimal",
                    _ => "Boolean",
                };
                if has_flag(field) {
                    writeln!(out, "            (\"{n}\", Value::{variant}(v)) => {{").unwrap();
                    writeln!(out, "                fields.has_{n} = v.is_some();").unwrap();
                    writeln!(
                        out,
                        "                fields.{n} = v.unwrap_or({});",
                        zero(field)
                    )
                    .unwrap();
                    writeln!(out, "            }}").unwrap();
                } else {
                    let line = format!(
                        "            (\"{n}\", Value::{variant}(v)) => fields.{n} = v.unwrap_or({}),",
                        zero(field)
                    );
                    if line.len() <= 100 {
                        writeln!(out, "{line}").unwrap();
                    } else {
                        writeln!(out, "            (\"{n}\", Value::{variant}(v)) => {{").unwrap();
                        writeln!(
                            out,
                            "                fields.{n} = v.unwrap_or({})",
                            zero(field)
                        )
                        .unwrap();
                        writeln!(out, "            }}").unwrap();
                    }
                }
            }
            Type::Record(nested_schema) => {
                let nested_name = nested_schema.name;
                let nested_c = c_name(nested_schema);
                writeln!(
                    out,
                    "            (\"{n}\", Value::Record(Some(v))) => match {nested_name}Record::read(v) {{"
                )
                .unwrap();
                writeln!(
                    out,
                    "                Ok(record) => {n} = Some(Box::new(cashi_{nested_c} {{ record }})),"
                )
                .unwrap();
                writeln!(
                    out,
                    "                Err(inner) => texts.fail(format!(\"{n}.{{inner}}\")),"
                )
                .unwrap();
                writeln!(out, "            }},").unwrap();
            }
        }
    }
    writeln!(out, "            _ => {{}}").unwrap();
    writeln!(out, "        }});").unwrap();
    writeln!(out, "        let texts = texts.finish()?;").unwrap();
    let mut text_index = 0;
    for field in schema.fields {
        match field.ty {
            Type::Text | Type::Timestamp => {
                writeln!(
                    out,
                    "        fields.{} = texts.ptr({text_index});",
                    field.name
                )
                .unwrap();
                text_index += 1;
            }
            Type::Record(_) => {
                writeln!(out, "        fields.{0} = nested(&{0});", field.name).unwrap();
            }
            _ => {}
        }
    }
    writeln!(out, "        Ok({name}Record {{").unwrap();
    writeln!(out, "            fields,").unwrap();
    writeln!(out, "            _texts: texts,").unwrap();
    for f in &nested {
        writeln!(out, "            _{0}: {0},", f.name).unwrap();
    }
    writeln!(out, "        }})\n    }}\n}}\n").unwrap();

    writeln!(out, "impl HasFields for cashi_{c} {{").unwrap();
    writeln!(out, "    type Fields = cashi_{c}_fields;\n").unwrap();
    writeln!(out, "    fn fields(&self) -> &cashi_{c}_fields {{").unwrap();
    writeln!(out, "        &self.record.fields\n    }}\n}}\n").unwrap();
}

fn accessors(out: &mut String, schema: &'static Schema) {
    let c = c_name(schema);
    let handle = format!("{c}: *const cashi_{c}");
    let thread = "Thread-safety: any thread.";
    doc(
        out,
        "",
        &format!(
            "Fills `*out` with every field of `{c}` (see `cashi_{c}_fields`). Returns false, \
             and leaves `*out` as it was, when `{c}` or `out` is NULL. {thread}"
        ),
    );
    writeln!(out, "#[no_mangle]").unwrap();
    signature(
        out,
        &format!("cashi_{c}_get_fields"),
        &[handle.clone(), format!("out: *mut cashi_{c}_fields")],
        "bool",
    );
    writeln!(out, "    get_fields({c}, out)\n}}\n").unwrap();

    for field in schema.fields {
        let n = field.name;
        if has_flag(field) {
            doc(
                out,
                "",
                &format!("Whether `{n}` is present (see `cashi_{c}_{n}`); false when `{c}` is NULL. {thread}"),
            );
            writeln!(out, "#[no_mangle]").unwrap();
            signature(
                out,
                &format!("cashi_{c}_has_{n}"),
                std::slice::from_ref(&handle),
                "bool",
            );
            writeln!(out, "    read({c}, false, |f| f.has_{n})\n}}\n").unwrap();
        }
        let mut text = format!("{}{}", field.doc, accessor_note(field, &c));
        match field.ty {
            Type::Text | Type::Timestamp => {
                text.push_str(&format!("\n\n{} {thread}", ownership(schema)));
            }
            Type::Record(nested) => text.push_str(&format!(
                "\n\nOwnership: borrowed, part of the {top}, valid until `cashi_{top}_free`; \
                 read it with the `cashi_{}_*` accessors, never free it. {thread}",
                c_name(nested),
                top = c_name(owner(schema))
            )),
            _ => text.push_str(&format!(" {thread}")),
        }
        doc(out, "", &text);
        writeln!(out, "#[no_mangle]").unwrap();
        signature(
            out,
            &format!("cashi_{c}_{n}"),
            std::slice::from_ref(&handle),
            &rust_type(field),
        );
        writeln!(out, "    read({c}, {}, |f| f.{n})\n}}\n", zero(field)).unwrap();
    }
}

/// `bindings-c/src/records.rs`.
pub fn generate() -> Vec<Generated> {
    let mut out = String::new();
    out.push_str(
        "// Generated from core/src/model.rs by tools/codegen (`cargo run -p cashi-codegen -- \
         write`); do not edit.\n\n",
    );
    out.push_str(
        "//! Every result's fields as C reads them, from the core's schemas: for each record a \
         struct of\n//! all its fields (`cashi_<record>_fields`), filled once when its handle \
         is made by reading\n//! the core's record by the fields' names, and one accessor per \
         field.\n\n",
    );
    out.push_str("use std::ffi::c_char;\nuse std::ptr;\n\n");
    out.push_str("use cashi::model::{Record, Value};\n\n");
    out.push_str(
        "use crate::record::{get_fields, nested, read, HasFields, Texts, TextsBuilder};\n",
    );
    let mut top: Vec<String> = SCHEMAS
        .iter()
        .filter(|s| parent(s).is_none())
        .map(|s| format!("cashi_{}", c_name(s)))
        .collect();
    top.sort();
    writeln!(out, "use crate::{{{}}};\n", top.join(", ")).unwrap();
    for schema in SCHEMAS {
        fields_struct(&mut out, schema);
        record_struct(&mut out, schema);
        accessors(&mut out, schema);
    }
    let text = out.trim_end().to_string() + "\n";
    vec![Generated { path: PATH, text }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_accessor_its_struct_member_and_its_read() {
        let text = &generate()[0].text;
        for schema in SCHEMAS {
            let c = c_name(schema);
            assert!(
                text.contains(&format!("pub struct cashi_{c}_fields {{")),
                "{c}"
            );
            assert!(text.contains(&format!("fn cashi_{c}_get_fields(")), "{c}");
            for field in schema.fields {
                let n = field.name;
                assert!(text.contains(&format!("fn cashi_{c}_{n}(")), "{c}.{n}");
                assert!(text.contains(&format!("    pub {n}: ")), "{c}.{n}");
                assert!(text.contains(&format!("(\"{n}\", ")), "{c}.{n} is read");
                assert_eq!(
                    text.contains(&format!("fn cashi_{c}_has_{n}(")),
                    has_flag(field),
                    "{c}.{n}"
                );
            }
        }
    }

    #[test]
    fn nested_records_are_borrowed_handles_of_their_owner() {
        assert_eq!(c_name(&cashi::model::PAYMENT_STATUS), "status");
        assert_eq!(c_name(&cashi::model::VIRTUAL_ACCOUNT), "virtual_account");
        assert_eq!(owner(&cashi::model::VIRTUAL_ACCOUNT).name, "Order");
        assert!(parent(&cashi::model::ORDER).is_none());
        let text = &generate()[0].text;
        assert!(text.contains("pub extern \"C\" fn cashi_order_virtual_account(\n    order: *const cashi_order,\n) -> *const cashi_virtual_account {"));
    }
}
