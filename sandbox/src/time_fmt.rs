//! Cashi's time format: `"YYYY-MM-DD HH:MM:SS"` in Jakarta time (UTC+7), no zone marker.

use chrono::{DateTime, FixedOffset, Utc};

use crate::clock::Millis;

const JAKARTA_OFFSET_SECS: i32 = 7 * 3600;

/// Formats epoch milliseconds as Cashi does (`expires_at`, `paid_at`).
pub fn jakarta(ms: Millis) -> String {
    let tz = FixedOffset::east_opt(JAKARTA_OFFSET_SECS).expect("valid offset");
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// RFC 3339 UTC with milliseconds, for the sandbox's own records (delivery attempts).
pub fn rfc3339(ms: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn jakarta_is_utc_plus_seven_without_zone() {
        // 2024-01-01T00:00:00Z
        assert_eq!(super::jakarta(1_704_067_200_000), "2024-01-01 07:00:00");
    }
}
