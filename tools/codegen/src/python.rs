//! Python: `bindings-python/python/cashi/_records.py`, a frozen dataclass per schema
//! (`OrderFields`, ...) declaring its fields with their types and docs. The public classes
//! of `cashi._models` extend them with their methods (`raw`, `qr_png`, the repr rules), and
//! the native module fills an instance's fields in by name.

use cashi::model::{Schema, Type, SCHEMAS};

use crate::Generated;

pub const PATH: &str = "bindings-python/python/cashi/_records.py";

/// The longest line written: ruff formats the package at 100 columns.
const WIDTH: usize = 100;

pub fn generate() -> Vec<Generated> {
    let mut out = String::new();
    out.push_str(
        "# Generated from core/src/model.rs by tools/codegen, do not edit: after changing the\n\
         # schemas, run `cargo run -p cashi-codegen -- write`.\n\
         \"\"\"The fields of every result, as the core declares them (core/src/model.rs).\n\
         \n\
         Each class declares one result's fields, in the core's order, with their types and docs;\n\
         the public class of the same name in ``cashi._models`` extends it with its methods, and\n\
         the native module fills an instance's fields in by name.\n\
         \"\"\"\n\
         \n\
         from __future__ import annotations\n\
         \n\
         from dataclasses import dataclass\n",
    );
    if uses_timestamps() {
        out.push_str("from datetime import datetime\n");
    }
    let nested = nested_records();
    if !nested.is_empty() {
        out.push_str("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n");
        out.push_str(&format!("    from ._models import {}\n", nested.join(", ")));
    }
    // One name a line, as ruff formats a list that does not fit on one.
    out.push_str("\n__all__ = [\n");
    for schema in SCHEMAS {
        out.push_str(&format!("    \"{}\",\n", class_name(schema)));
    }
    out.push_str("]\n");
    for schema in SCHEMAS {
        out.push_str("\n\n");
        out.push_str(&class(schema));
    }
    vec![Generated {
        path: PATH,
        text: out,
    }]
}

/// `Order` → `OrderFields`: the public name is the hand-written subclass's.
fn class_name(schema: &Schema) -> String {
    format!("{}Fields", schema.name)
}

fn uses_timestamps() -> bool {
    SCHEMAS
        .iter()
        .any(|s| s.fields.iter().any(|f| matches!(f.ty, Type::Timestamp)))
}

/// The public classes the fields' annotations name (nested records), sorted as isort does.
fn nested_records() -> Vec<&'static str> {
    let mut names: Vec<&str> = SCHEMAS
        .iter()
        .flat_map(|s| s.fields.iter())
        .filter_map(|f| match f.ty {
            Type::Record(nested) => Some(nested.name),
            _ => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn annotation(ty: Type, optional: bool) -> String {
    let base = match ty {
        Type::Text => "str",
        Type::Integer => "int",
        Type::Decimal => "float",
        Type::Boolean => "bool",
        Type::Timestamp => "datetime",
        Type::Record(nested) => nested.name,
    };
    if optional {
        format!("{base} | None")
    } else {
        base.to_string()
    }
}

fn class(schema: &Schema) -> String {
    let mut out = format!(
        "@dataclass(frozen=True)\nclass {}:\n    \"\"\"{}\n\n    Attributes:\n",
        class_name(schema),
        text(schema.doc)
    );
    for field in schema.fields {
        let lines = wrap(&format!("{}: {}", field.name, text(field.doc)), 8, 12);
        out.push_str(&lines);
    }
    out.push_str("    \"\"\"\n");
    for field in schema.fields {
        out.push_str(&format!(
            "\n    {}: {}\n",
            field.name,
            annotation(field.ty, field.optional)
        ));
        out.push_str(&attribute_doc(text(field.doc)));
    }
    out
}

/// An attribute's docstring, on the line after it (what editors show for it).
fn attribute_doc(doc: String) -> String {
    let one_line = format!("    \"\"\"{doc}\"\"\"");
    if one_line.len() <= WIDTH {
        return one_line + "\n";
    }
    let mut out = wrap(&format!("\"\"\"{doc}"), 4, 4);
    out.push_str("    \"\"\"\n");
    out
}

/// A doc as docstring text: the core's docs are plain sentences, so only a backslash or
/// a triple quote would need care.
fn text(doc: &str) -> String {
    assert!(
        !doc.contains("\"\"\""),
        "a doc with a triple quote: {doc:?}"
    );
    doc.replace('\\', "\\\\")
}

/// `text` in lines of at most [`WIDTH`] columns: the first indented by `first`, the rest by
/// `rest`.
fn wrap(text: &str, first: usize, rest: usize) -> String {
    let mut out = String::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_a_dataclass_with_its_fields_in_order() {
        let text = &generate()[0].text;
        for schema in SCHEMAS {
            let start = text
                .find(&format!("class {}:", class_name(schema)))
                .unwrap_or_else(|| panic!("{} missing", schema.name));
            let mut at = start;
            for field in schema.fields {
                let decl = format!("\n    {}: ", field.name);
                let found = text[at..].find(&decl).map(|i| at + i);
                at = found.unwrap_or_else(|| panic!("{}.{} out of order", schema.name, field.name));
            }
        }
        assert!(text.contains("    retail: RetailCode | None\n"));
        assert!(text.contains("    paid_at_time: datetime | None\n"));
        assert!(text.contains("    is_final: bool\n"));
    }

    #[test]
    fn lines_fit_the_formatters_width() {
        for line in generate()[0].text.lines() {
            assert!(line.len() <= WIDTH, "{line:?}");
        }
        assert_eq!(wrap("a b", 8, 12), "        a b\n");
        let long = "word ".repeat(40);
        for line in wrap(&long, 8, 12).lines().skip(1) {
            assert!(line.starts_with("            word"), "{line:?}");
        }
    }
}
