//! Tolerant reading of Cashi's JSON: the live API has answered the same field as a number,
//! a numeric string and a float with no fraction, so all of those are the same amount.

use crate::fields::Scalar;

/// What was wrong with a field, for the caller to wrap in its own error kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldProblem {
    Missing,
    WrongType(&'static str),
}

impl FieldProblem {
    pub(crate) fn describe(&self, field: &str) -> String {
        match self {
            FieldProblem::Missing => format!("{field}: is missing"),
            FieldProblem::WrongType(expected) => format!("{field}: is not {expected}"),
        }
    }
}

/// A whole number of rupiah from a number, a numeric string, or a float with no fraction.
pub(crate) fn as_amount(value: &Scalar) -> Option<i64> {
    match value {
        Scalar::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(exact_integer)),
        Scalar::Text(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(exact_integer))
        }
        _ => None,
    }
}

fn exact_integer(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i64)
}

/// A required amount, given its value if it was sent.
pub(crate) fn amount(value: Option<&Scalar>) -> Result<i64, FieldProblem> {
    match value {
        None | Some(Scalar::Null) => Err(FieldProblem::Missing),
        Some(v) => as_amount(v).ok_or(FieldProblem::WrongType("a whole number of rupiah")),
    }
}

/// An optional amount: absent, null or unreadable is `None` (extra fields never fail a call).
pub(crate) fn opt_amount(value: Option<&Scalar>) -> Option<i64> {
    value.and_then(as_amount)
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

    #[test]
    fn amounts_in_every_spelling() {
        assert_eq!(as_amount(&json("15023")), Some(15023));
        assert_eq!(as_amount(&json("15023.0")), Some(15023));
        assert_eq!(as_amount(&json("\"15023\"")), Some(15023));
        assert_eq!(as_amount(&json("\" 15023 \"")), Some(15023));
        assert_eq!(as_amount(&json("\"15023.0\"")), Some(15023));
        assert_eq!(as_amount(&json("15023.5")), None);
        assert_eq!(as_amount(&json("\"15.023\"")), None);
        assert_eq!(as_amount(&json("\"abc\"")), None);
        assert_eq!(as_amount(&json("true")), None);
        assert_eq!(as_amount(&json("null")), None);
        assert_eq!(as_amount(&json(r#"{"value":15023}"#)), None);
        assert_eq!(as_amount(&json("[15023]")), None);
    }

    #[test]
    fn required_amount_problems() {
        assert_eq!(amount(None), Err(FieldProblem::Missing));
        assert_eq!(amount(Some(&json("null"))), Err(FieldProblem::Missing));
        assert!(matches!(
            amount(Some(&json("\"x\""))),
            Err(FieldProblem::WrongType(_))
        ));
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
