//! Cashi's timestamps. `expires_at` has been seen as `"YYYY-MM-DD HH:MM:SS"` in Jakarta
//! time with no zone marker, as `"0"` (unknown), and as ISO 8601; all become a real instant
//! shown at Jakarta's +07:00 offset.

use std::sync::OnceLock;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::decode::fields::Scalar;

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
    // The two forms are disjoint (one needs an offset, the other refuses one), so the
    // order is only for speed: every order's expires_at is wall-clock time.
    if let Some(naive) = wall_clock(text) {
        return match jakarta().from_local_datetime(&naive).single() {
            Some(dt) => Parsed::At(dt),
            None => Parsed::Unreadable,
        };
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Parsed::At(dt.with_timezone(&jakarta()));
    }
    if let Ok(secs) = text.parse::<i64>() {
        return from_epoch(secs);
    }
    Parsed::Unreadable
}

/// Local Jakarta wall-clock time, with a space or a `T`, with or without fractions: the
/// form of every order's `expires_at`.
fn wall_clock(text: &str) -> Option<NaiveDateTime> {
    plain_wall_clock(text).or_else(|| general_wall_clock(text))
}

/// The exact form Cashi sends, `YYYY-MM-DD HH:MM:SS[.fraction]`, read by hand. chrono's
/// general parser cost about a microsecond per order once its code was out of the CPU's
/// caches, as it is between two calls; anything else (one-digit months, leap seconds, ...)
/// is left to it.
fn plain_wall_clock(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    let shaped = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b' ' | b'T')
        && b[13] == b':'
        && b[16] == b':';
    if !shaped {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            number(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(&b[0..4])?).ok()?,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )?;
    let time = NaiveTime::from_hms_nano_opt(
        number(&b[11..13])?,
        number(&b[14..16])?,
        number(&b[17..19])?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// The wall-clock forms through chrono's parser. The formats are compiled once:
/// interpreting a strftime string on each parse cost more than the rest of reading an order.
fn general_wall_clock(text: &str) -> Option<NaiveDateTime> {
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
    fn the_hand_reader_agrees_with_chrono() {
        let texts = [
            "2025-03-01 10:20:30",
            "2025-03-01T10:20:30",
            "2025-03-01 10:20:30.5",
            "2025-03-01 10:20:30.123456789",
            "2025-03-01 10:20:30.1234567891",
            "2025-03-01 10:20:30.",
            "2024-02-29 23:59:59",
            "2025-02-29 23:59:59",
            "2025-12-31 23:59:60",
            "2025-12-31 24:00:00",
            "2025-13-01 10:20:30",
            "2025-3-1 10:20:30",
            "2025-03-01 10:20:30+07:00",
            "2025-03-01x10:20:30",
            "+2025-03-01 10:20:30",
            "２025-03-01 10:20:30",
            "2025-03-01 10:20:3a",
            "0000-01-01 00:00:00",
        ];
        for text in texts {
            let chrono = general_wall_clock(text);
            if let Some(by_hand) = plain_wall_clock(text) {
                assert_eq!(Some(by_hand), chrono, "{text}");
            }
            assert_eq!(wall_clock(text), chrono, "{text}");
        }
        assert!(plain_wall_clock("2025-03-01 10:20:30.25").is_some());
        assert!(
            plain_wall_clock("2025-12-31 23:59:60").is_none(),
            "left to chrono"
        );
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
