//! Tolerant reading of Cashi's JSON: the live API has answered the same field as a number,
//! a numeric string and a float with no fraction, so all of those are the same amount.

#![deny(clippy::arithmetic_side_effects)]

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::decode::fields::{Replaceable, Scalar, Skipped};
use crate::validate::MAX_AMOUNT;

/// What was wrong with a field, for the caller to wrap in its own error kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldProblem {
    Missing,
    /// An amount that breaks the amount rule: an excerpt of the value as sent.
    NotAnAmount(String),
}

impl FieldProblem {
    pub(crate) fn describe(&self, field: &str) -> String {
        match self {
            FieldProblem::Missing => format!("{field}: is missing"),
            FieldProblem::NotAnAmount(value) => format!(
                "{field}: {value} is not an amount of rupiah; an amount is a whole number from 1 to {MAX_AMOUNT}, \
                 written as a JSON integer, a number with no fraction (15023.0) or a string of digits (\"15023\")"
            ),
        }
    }
}

/// An amount field as sent, judged by the amount rule while the JSON is read: the rule is
/// applied to the value's own text, so a number is never rounded through a float first
/// (`9007199254740993` and `15023.0000000000000001` are refused, not read as neighbours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AmountField {
    Null,
    /// A whole number from 0 to [`MAX_AMOUNT`], in one of the accepted spellings.
    Whole(i64),
    /// Anything else, as a short excerpt for the error.
    Refused(String),
    /// Refused, and a value no JSON parser reads (a number beyond a double's range, a lone
    /// surrogate): the raw value is only skimmed, so this is told apart afterwards.
    Unreadable(String),
}

impl<'de> Deserialize<'de> for AmountField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        Ok(match judge(raw.get()) {
            AmountField::Refused(excerpt)
                if serde_json::from_str::<Skipped>(raw.get()).is_err() =>
            {
                AmountField::Unreadable(excerpt)
            }
            field => field,
        })
    }
}

impl Replaceable for AmountField {
    fn parses_as_raw(&self) -> bool {
        !matches!(self, AmountField::Unreadable(_))
    }
}

/// Applies the amount rule to the text of one JSON value.
fn judge(text: &str) -> AmountField {
    let whole = match text.as_bytes().first() {
        Some(b'n') => return AmountField::Null,
        // A string: its decoded text must be decimal digits only.
        Some(b'"') => serde_json::from_str::<String>(text)
            .ok()
            .and_then(|s| digits(&s)),
        // A number: digits, then at most a point followed by zeros; no sign, no exponent.
        Some(b'0'..=b'9') => {
            let (integer, fraction) = text.split_once('.').unwrap_or((text, ""));
            if fraction.bytes().all(|b| b == b'0') {
                digits(integer)
            } else {
                None
            }
        }
        _ => None,
    };
    match whole {
        Some(n) => AmountField::Whole(n),
        None => AmountField::Refused(excerpt(text)),
    }
}

/// The value of a non-empty run of ASCII digits, if it is at most [`MAX_AMOUNT`].
fn digits(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0i64, |value, b| {
        let digit = i64::from(char::from(b).to_digit(10)?);
        value
            .checked_mul(10)?
            .checked_add(digit)
            .filter(|v| *v <= MAX_AMOUNT)
    })
}

/// At most 40 characters of a value's JSON text, for a message.
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 40;
    let mut cut: String = text.chars().take(LIMIT).collect();
    if text.chars().nth(LIMIT).is_some() {
        cut.push('…');
    }
    cut
}

/// A required amount (1 to [`MAX_AMOUNT`]), given its field if it was sent.
pub(crate) fn amount(value: Option<&AmountField>) -> Result<i64, FieldProblem> {
    opt_amount(value)?.ok_or(FieldProblem::Missing)
}

/// An optional amount: absent or null is `None`; present, it follows the amount rule.
pub(crate) fn opt_amount(value: Option<&AmountField>) -> Result<Option<i64>, FieldProblem> {
    match value {
        None | Some(AmountField::Null) => Ok(None),
        Some(AmountField::Whole(n)) if *n >= 1 => Ok(Some(*n)),
        Some(AmountField::Whole(n)) => Err(FieldProblem::NotAnAmount(n.to_string())),
        Some(AmountField::Refused(text) | AmountField::Unreadable(text)) => {
            Err(FieldProblem::NotAnAmount(text.clone()))
        }
    }
}

/// An optional fee: the amount rule, except that a fee may be 0.
pub(crate) fn opt_fee(value: Option<&AmountField>) -> Result<Option<i64>, FieldProblem> {
    match value {
        Some(AmountField::Whole(0)) => Ok(Some(0)),
        other => opt_amount(other),
    }
}

/// An optional text field; numbers are accepted as their decimal text (ids sometimes are).
/// Takes the value, so a long text (the QR data URI) is moved, not copied.
pub(crate) fn text(value: Option<Scalar>) -> Option<String> {
    match value? {
        Scalar::Text(s) => Some(s),
        Scalar::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An optional finite number: `"NaN"` or `"inf"` in a numeric string is not one (and no
/// binding could hand it on as JSON).
pub(crate) fn opt_f64(value: Option<&Scalar>) -> Option<f64> {
    let number = match value? {
        Scalar::Number(n) => n.as_f64(),
        Scalar::Text(s) => s.trim().parse().ok(),
        _ => None,
    };
    number.filter(|f| f.is_finite())
}

pub(crate) fn opt_bool(value: Option<&Scalar>) -> Option<bool> {
    match value? {
        Scalar::Bool(b) => Some(*b),
        Scalar::Text(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Scalar::Text(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Scalar::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field as the reader reads it from this JSON.
    fn json(text: &str) -> Scalar {
        serde_json::from_str(text).unwrap()
    }

    /// An amount field as the reader reads it from this JSON.
    fn field(text: &str) -> AmountField {
        serde_json::from_str(text).unwrap()
    }

    fn read(text: &str) -> Result<Option<i64>, FieldProblem> {
        opt_amount(Some(&field(text)))
    }

    #[test]
    fn amounts_in_every_accepted_spelling() {
        for text in [
            "15023",
            "15023.0",
            "15023.000",
            "\"15023\"",
            "\"015023\"",
            "\"\\u0031\\u0035023\"",
        ] {
            assert_eq!(read(text), Ok(Some(15023)), "{text}");
        }
        assert_eq!(read("1"), Ok(Some(1)));
        assert_eq!(read("9007199254740991"), Ok(Some(MAX_AMOUNT)));
        assert_eq!(read("\"9007199254740991\""), Ok(Some(MAX_AMOUNT)));
        assert_eq!(read("9007199254740991.0"), Ok(Some(MAX_AMOUNT)));
        assert_eq!(read("null"), Ok(None));
        assert_eq!(opt_amount(None), Ok(None));
    }

    #[test]
    fn everything_else_is_refused_never_rounded() {
        for text in [
            "0",
            "0.0",
            "\"0\"",
            "-15023",
            "-0",
            "\"-15023\"",
            "\"+15023\"",
            "\"1.5023e4\"",
            "1.5023e4",
            "15023e0",
            "15023E0",
            "15023.5",
            "15023.0000000000000001",
            "9007199254740990.5",
            "\"15023.0\"",
            "\"15.023\"",
            "\" 15023 \"",
            "\"15023 \"",
            "\"\"",
            "\"abc\"",
            "\"\u{661}\u{665}\"",
            "9007199254740992",
            "9007199254740993",
            "9007199254740993.0",
            "\"9007199254740993\"",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551616",
            "99999999999999999999999999999999",
            "1e999",
            "true",
            "{\"value\":15023}",
            "[15023]",
        ] {
            match read(text) {
                Err(FieldProblem::NotAnAmount(_)) => {}
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_refused_value_no_parser_reads_is_told_apart() {
        for text in ["1e999", "-1e999", "\"\\ud800\""] {
            assert!(matches!(field(text), AmountField::Unreadable(_)), "{text}");
            assert!(!field(text).parses_as_raw(), "{text}");
        }
        for text in ["-15023", "1.5023e4", "\"+15023\"", "18446744073709551616"] {
            assert!(matches!(field(text), AmountField::Refused(_)), "{text}");
            assert!(field(text).parses_as_raw(), "{text}");
        }
        assert_eq!(
            read("1e999"),
            Err(FieldProblem::NotAnAmount("1e999".into()))
        );
    }

    #[test]
    fn required_amount_problems_name_the_field_and_the_rule() {
        assert_eq!(amount(None), Err(FieldProblem::Missing));
        assert_eq!(amount(Some(&field("null"))), Err(FieldProblem::Missing));
        let problem = amount(Some(&field("-15023"))).unwrap_err();
        let message = problem.describe("data.amount");
        assert!(message.starts_with("data.amount: -15023 "), "{message}");
        assert!(message.contains("9007199254740991"), "{message}");
        let long = format!("\"{}\"", "9".repeat(100));
        let message = amount(Some(&field(&long))).unwrap_err().describe("amount");
        assert!(message.chars().count() < 250, "the value is cut: {message}");
    }

    #[test]
    fn a_fee_may_be_zero() {
        assert_eq!(opt_fee(Some(&field("0"))), Ok(Some(0)));
        assert_eq!(opt_fee(Some(&field("4000"))), Ok(Some(4000)));
        assert_eq!(opt_fee(None), Ok(None));
        assert!(opt_fee(Some(&field("-1"))).is_err());
        assert!(opt_fee(Some(&field("0.5"))).is_err());
    }

    #[test]
    fn numbers_are_finite() {
        for text in ["NaN", "inf", "-Infinity"] {
            assert_eq!(opt_f64(Some(&Scalar::Text(text.into()))), None, "{text}");
        }
        assert_eq!(opt_f64(Some(&json("\" 0.7 \""))), Some(0.7));
        assert_eq!(opt_f64(Some(&json("0.7"))), Some(0.7));
        assert_eq!(opt_f64(None), None);
    }

    #[test]
    fn text_accepts_numbers() {
        assert_eq!(
            text(Some(json("31277571482"))).as_deref(),
            Some("31277571482")
        );
        assert_eq!(text(Some(json("\"x\""))).as_deref(), Some("x"));
        assert_eq!(text(Some(json("true"))), None);
        assert_eq!(text(None), None);
    }

    #[test]
    fn booleans_in_every_spelling() {
        assert_eq!(opt_bool(Some(&json("true"))), Some(true));
        assert_eq!(opt_bool(Some(&json("\"FALSE\""))), Some(false));
        assert_eq!(opt_bool(Some(&json("1"))), Some(true));
        assert_eq!(opt_bool(Some(&json("\"yes\""))), None);
    }
}
