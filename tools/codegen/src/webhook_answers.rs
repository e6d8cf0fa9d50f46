//! The webhook handlers' answers (`core/src/webhook_answer.rs`) as a table in each language
//! that has a handler: Python `cashi/_answers.py`, Node `answers.js` (and the outcome names
//! as a TypeScript type in `answers.d.ts`), PHP `Cashi\Internal\WebhookAnswers`. A handler
//! runs the merchant's callbacks its own way and takes every status, text and log level from
//! its table, so the three cannot answer Cashi differently.
//!
//! Each table is written in its formatter's settled shape (one field a line, trailing
//! commas), so ruff and prettier leave it as it is.

use std::fmt::Write;

use cashi::webhook_answer::{answer_to_failed_confirm, Answer, Level, ANSWERS};
use cashi::ErrorKind;

use crate::Generated;

const SOURCE: &str = "core/src/webhook_answer.rs";

pub fn generate() -> Vec<Generated> {
    vec![python(), node(), node_types(), php()]
}

/// `fulfilled` → `FULFILLED`: the constant each table names an answer by.
fn constant(answer: &Answer) -> String {
    answer.outcome.to_uppercase()
}

/// What each table writes of an answer: its constant's name, outcome, status, text, doc.
fn fields(answer: &Answer) -> (String, &str, u16, &str, &str) {
    let Answer {
        outcome,
        status,
        text,
        doc,
        ..
    } = answer;
    (constant(answer), outcome, *status, text, doc)
}

/// Every error code with the answer to a `confirm` that failed with it.
fn failed_confirm() -> impl Iterator<Item = (&'static str, &'static Answer)> {
    ErrorKind::ALL
        .into_iter()
        .map(|kind| (kind.code(), answer_to_failed_confirm(kind)))
}

fn python_level(level: Level) -> &'static str {
    match level {
        Level::Info => "logging.INFO",
        Level::Warning => "logging.WARNING",
        Level::Error => "logging.ERROR",
    }
}

fn python() -> Generated {
    let mut out = format!(
        "# Generated from {SOURCE} by tools/codegen, do not edit: after changing the\n\
         # answers, run `cargo run -p cashi-codegen -- write`.\n\
         \"\"\"What a webhook handler answers Cashi for each outcome of a delivery, as the core\n\
         declares it: the HTTP status Cashi sees, a short text, and the level it is logged at.\n\
         \"\"\"\n\
         \n\
         from __future__ import annotations\n\
         \n\
         import logging\n\
         from typing import Literal, NamedTuple\n\
         \n\
         #: An outcome's stable name: ``WebhookResponse.outcome``.\n\
         WebhookOutcome = Literal[\n"
    );
    for answer in ANSWERS {
        writeln!(out, "    \"{}\",", answer.outcome).unwrap();
    }
    out.push_str(
        "]\n\n\nclass Answer(NamedTuple):\n    \
         \"\"\"One outcome of a delivery and what Cashi is told.\"\"\"\n\n    \
         outcome: WebhookOutcome\n    status: int\n    text: str\n    \
         #: A :mod:`logging` level.\n    level: int\n\n",
    );
    for answer in ANSWERS {
        let (name, outcome, status, text, doc) = fields(answer);
        let level = python_level(answer.level);
        write!(
            out,
            "\n#: {doc}\n{name} = Answer(\n    outcome=\"{outcome}\",\n    status={status},\n    \
             text=\"{text}\",\n    level={level},\n)\n"
        )
        .unwrap();
    }
    out.push_str("\n#: Every answer by its outcome.\nANSWERS: dict[str, Answer] = {\n");
    for answer in ANSWERS {
        writeln!(out, "    {0}.outcome: {0},", constant(answer)).unwrap();
    }
    out.push_str(
        "}\n\n#: The answer when ``confirm`` fails with an error of this code; any other \
         exception:\n#: ``CONFIRM_FAILED``.\nANSWER_TO_FAILED_CONFIRM: dict[str, Answer] = {\n",
    );
    for (code, answer) in failed_confirm() {
        writeln!(out, "    \"{code}\": {},", constant(answer)).unwrap();
    }
    out.push_str("}\n");
    Generated {
        path: "bindings-python/python/cashi/_answers.py",
        text: out,
    }
}

const JS_HEADER: &str = "Generated from core/src/webhook_answer.rs by tools/codegen \
                         (`cargo run -p cashi-codegen -- write`); do not edit.";

fn node() -> Generated {
    let mut out = format!(
        "// {JS_HEADER}\n//\n\
         // What a webhook handler answers Cashi for each outcome of a delivery, as the core declares\n\
         // it: the HTTP status Cashi sees, a short text, and the level it is logged at.\n\n\
         'use strict'\n"
    );
    for answer in ANSWERS {
        let (name, outcome, status, text, doc) = fields(answer);
        let level = answer.level.name();
        write!(
            out,
            "\n/** {doc} */\nconst {name} = Object.freeze({{\n  outcome: '{outcome}',\n  \
             status: {status},\n  text: '{text}',\n  level: '{level}',\n}})\n"
        )
        .unwrap();
    }
    out.push_str("\n/** Every answer by its outcome. */\nconst ANSWERS = Object.freeze({\n");
    for answer in ANSWERS {
        writeln!(out, "  {}: {},", answer.outcome, constant(answer)).unwrap();
    }
    out.push_str(
        "})\n\n/** The answer when `confirm` fails with an error of this code; any other error: \
         `CONFIRM_FAILED`. */\nconst ANSWER_TO_FAILED_CONFIRM = Object.freeze({\n",
    );
    for (code, answer) in failed_confirm() {
        writeln!(out, "  {code}: {},", constant(answer)).unwrap();
    }
    out.push_str("})\n\nmodule.exports = {\n");
    for answer in ANSWERS {
        writeln!(out, "  {},", constant(answer)).unwrap();
    }
    out.push_str("  ANSWERS,\n  ANSWER_TO_FAILED_CONFIRM,\n}\n");
    Generated {
        path: "bindings-node/answers.js",
        text: out,
    }
}

fn node_types() -> Generated {
    let mut out = format!(
        "// {JS_HEADER}\n\n\
         /** An outcome's stable name: a handler's answer's `outcome`. */\n\
         export type WebhookOutcome =\n"
    );
    for answer in ANSWERS {
        writeln!(out, "  | '{}'", answer.outcome).unwrap();
    }
    Generated {
        path: "bindings-node/answers.d.ts",
        text: out,
    }
}

fn php() -> Generated {
    let mut out = format!(
        "<?php\n\n// Generated from {SOURCE} by tools/codegen\n\
         // (`cargo run -p cashi-codegen -- write`); do not edit.\n\n\
         declare(strict_types=1);\n\nnamespace Cashi\\Internal;\n\n\
         /**\n * What WebhookHandler answers Cashi for each outcome of a delivery, as the core \
         declares it:\n * [outcome, HTTP status, text, PSR-3 level].\n *\n * @internal\n */\n\
         final class WebhookAnswers\n{{\n"
    );
    for answer in ANSWERS {
        let (name, outcome, status, text, doc) = fields(answer);
        let level = answer.level.name();
        write!(
            out,
            "    /** {doc} */\n    public const {name} = ['{outcome}', {status}, '{text}', '{level}'];\n\n"
        )
        .unwrap();
    }
    out.push_str("    /** Every answer by its outcome. */\n    public const BY_OUTCOME = [\n");
    for answer in ANSWERS {
        writeln!(
            out,
            "        '{}' => self::{},",
            answer.outcome,
            constant(answer)
        )
        .unwrap();
    }
    out.push_str(
        "    ];\n\n    \
         /** The answer when confirm fails with an error of this code; any other: CONFIRM_FAILED. */\n    \
         public const TO_FAILED_CONFIRM = [\n",
    );
    for (code, answer) in failed_confirm() {
        writeln!(out, "        '{code}' => self::{},", constant(answer)).unwrap();
    }
    out.push_str("    ];\n}\n");
    Generated {
        path: "bindings-php/src/Internal/WebhookAnswers.php",
        text: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_holds_every_answer_and_every_error_code() {
        for file in generate() {
            for answer in ANSWERS {
                assert!(file.text.contains(answer.outcome), "{}", file.path);
            }
            if !file.path.ends_with(".d.ts") {
                for kind in ErrorKind::ALL {
                    assert!(file.text.contains(kind.code()), "{}", file.path);
                }
            }
        }
    }

    #[test]
    fn texts_need_no_escaping_in_any_language() {
        for answer in ANSWERS {
            // Quoted as string literals.
            for text in [answer.text, answer.outcome] {
                assert!(!text.contains(['\'', '"', '\\', '\n']), "{text:?}");
            }
            // Written in one-line comments and doc blocks.
            assert!(!answer.doc.contains(['\n']), "{:?}", answer.doc);
            assert!(!answer.doc.contains("*/"), "{:?}", answer.doc);
        }
    }
}
