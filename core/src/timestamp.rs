//! Cashi's timestamps. `expires_at` has been seen as `"YYYY-MM-DD HH:MM:SS"` in Jakarta
//! time with no zone marker, as `"0"` (unknown), and as ISO 8601; all become a real instant
//! shown at Jakarta's +07:00 offset.

use std::sync::OnceLock;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

use crate::fields::Scalar;

/// Jakarta (WIB) is UTC+7 all year: Indonesia has no daylight saving time.
pub fn jakarta() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset")
}

/// What a timestamp field held.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    /// Absent, null, empty, `"0"` or `0`: Cashi does not say.
    Unknown,
    At(DateTime<FixedOffset>),
    /// A form no integration has seen; the raw text stays in the order's raw JSON.
    Unreadable,
}

/// RFC 3339 at the timestamp's own offset, with microseconds only when there is a fraction:
/// `2025-03-01T10:20:30+07:00`, which every binding's date parser reads (Python 3.9's
/// `fromisoformat` included).
pub fn format(t: &DateTime<FixedOffset>) -> String {
    use chrono::Timelike;
    let seconds = if t.nanosecond() == 0 {
        chrono::SecondsFormat::Secs
    } else {
        chrono::SecondsFormat::Micros
    };
    t.to_rfc3339_opts(seconds, false)
}

pub(crate) fn parse_value(value: Option<&Scalar>) -> Parsed {
    match value {
        None | Some(Scalar::Null) => Parsed::Unknown,
        Some(Scalar::Text(s)) => parse_text(s),
        Some(Scalar::Number(n)) => match n.as_i64() {
            Some(0) => Parsed::Unknown,
            Some(secs) => from_epoch(secs),
            None => Parsed::Unreadable,
        },
        Some(_) => Parsed::Unreadable,
    }
}

pub(crate) fn parse_text(text: &str) -> Parsed {
    let text = text.trim();
    if text.is_empty() || text == "0" {
        return Parsed::Unknown;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Parsed::At(dt.with_timezone(&jakarta()));
    }
    if let Some(naive) = wall_clock(text) {
        return match jakarta().from_local_datetime(&naive).single() {
            Some(dt) => Parsed::At(dt),
            None => Parsed::Unreadable,
        };
    }
    if let Ok(secs) = text.parse::<i64>() {
        return from_epoch(secs);
    }
    Parsed::Unreadable
}

/// Local Jakarta wall-clock time, with a space or a `T`, with or without fractions: the
/// form of every order's `expires_at`. The formats are compiled once: interpreting a
/// strftime string on each parse cost more than the rest of reading an order.
fn wall_clock(text: &str) -> Option<NaiveDateTime> {
    static FORMATS: OnceLock<Vec<Vec<Item<'static>>>> = OnceLock::new();
    let formats = FORMATS.get_or_init(|| {
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
            .into_iter()
            .map(|f| StrftimeItems::new(f).collect())
            .collect()
    });
    formats.iter().find_map(|items| {
        let mut fields = chrono::format::Parsed::new();
        chrono::format::parse(&mut fields, text, items.iter()).ok()?;
        fields.to_naive_datetime_with_offset(0).ok()
    })
}

/// Unix time, in seconds or (when too large to be seconds) milliseconds.
fn from_epoch(value: i64) -> Parsed {
    let millis = if value.abs() >= 100_000_000_000 {
        value
    } else {
        value.saturating_mul(1000)
    };
    match DateTime::from_timestamp_millis(millis) {
        Some(dt) => Parsed::At(dt.with_timezone(&jakarta())),
        None => Parsed::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        match parse_text(text) {
            Parsed::At(dt) => dt,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn every_form_of_the_contract() {
        let expected = "2025-03-01T10:20:30+07:00";
        assert_eq!(at("2025-03-01 10:20:30").to_rfc3339(), expected);
        assert_eq!(at("2025-03-01T10:20:30").to_rfc3339(), expected);
        assert_eq!(
            at(" 2025-03-01 10:20:30.25 ").to_rfc3339(),
            "2025-03-01T10:20:30.250+07:00"
        );
        assert_eq!(parse_text("2025-02-30 10:20:30"), Parsed::Unreadable);
        assert_eq!(parse_text("2025-03-01 10:20"), Parsed::Unreadable);
        assert_eq!(at("2025-03-01T03:20:30Z").to_rfc3339(), expected);
        assert_eq!(
            at("2025-03-01T03:20:30.000Z").to_rfc3339(),
            "2025-03-01T10:20:30+07:00"
        );
        assert_eq!(at("2025-03-01T10:20:30+07:00").to_rfc3339(), expected);
        assert_eq!(at("1740799230").to_rfc3339(), expected);
        assert_eq!(parse_text("0"), Parsed::Unknown);
        assert_eq!(parse_text(""), Parsed::Unknown);
        assert_eq!(parse_value(None), Parsed::Unknown);
        assert_eq!(parse_value(Some(&Scalar::Null)), Parsed::Unknown);
        assert_eq!(
            parse_value(Some(&Scalar::Number(0.into()))),
            Parsed::Unknown
        );
        assert_eq!(parse_text("next tuesday"), Parsed::Unreadable);
        assert_eq!(parse_value(Some(&Scalar::Bool(true))), Parsed::Unreadable);
    }

    #[test]
    fn formats_whole_seconds_without_fraction() {
        assert_eq!(
            format(&at("2025-03-01 10:20:30")),
            "2025-03-01T10:20:30+07:00"
        );
        assert_eq!(
            format(&at("2025-03-01T03:20:30.5Z")),
            "2025-03-01T10:20:30.500000+07:00"
        );
    }

    #[test]
    fn keeps_jakarta_offset() {
        assert_eq!(
            at("2025-03-01T00:00:00Z").offset().local_minus_utc(),
            7 * 3600
        );
    }
}
