//! What each binding needs to expose the core's results (`core/src/model.rs`): type
//! stubs, record classes, C accessors, one module per language; and the webhook handlers'
//! answers (`core/src/webhook_answer.rs`) for the languages that have a handler. The files
//! are committed, so a reader (and an IDE) sees plain code; `cashi-codegen check` fails
//! when one is stale, so a field added in core cannot miss a language.

pub mod c;
pub mod names;
pub mod php;
pub mod python;
pub mod typescript;
pub mod webhook_answers;

/// One generated file: its path from the repository's root, and its whole text.
pub struct Generated {
    pub path: &'static str,
    pub text: String,
}

/// Every generated file, from every language's generator.
pub fn generate() -> Vec<Generated> {
    let mut files = Vec::new();
    files.extend(c::generate());
    files.extend(php::generate());
    files.extend(python::generate());
    files.extend(typescript::generate());
    files.extend(webhook_answers::generate());
    files
}
