//! The bounds of every number and size the sandbox accepts, from a control, a flag or its
//! database, so that no input can overflow arithmetic on times or amounts.

use std::time::Duration;

use crate::clock::Millis;

/// Largest amount in rupiah: 2^53 - 1, the largest integer every SDK language reads exactly.
pub const MAX_AMOUNT: i64 = 9_007_199_254_740_991;
/// Longest `order_id`; the live limit is unknown, 255 fits any database column.
pub const MAX_ORDER_ID_LEN: usize = 255;
/// How far `clock/advance` may move the sandbox clock ahead of real time, in total.
pub const MAX_CLOCK_OFFSET_MS: Millis = 100 * 36_525 * 864_000; // 100 years of 365.25 days
/// Latest time a stored record may carry: 9999-12-31T23:59:59.999Z.
pub const LATEST_TIME_MS: Millis = 253_402_300_799_999;
/// Longest `latency` fault.
pub const MAX_LATENCY_MS: u64 = 600_000;
/// Most requests one fault may apply to.
pub const MAX_FAULT_COUNT: u32 = 1_000_000;
/// Largest `Retry-After` of a `rate_limit` fault.
pub const MAX_RETRY_AFTER_SECS: u64 = 86_400;
/// Longest fault `path`.
pub const MAX_FAULT_PATH_LEN: usize = 255;
/// Largest request body the sandbox reads.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;
/// Largest answer a `truncate` or `patch` fault reads to rewrite (the sandbox's own
/// answers are a few kilobytes).
pub const MAX_FAULT_BODY: usize = 1 << 20;
/// Longest URL (webhook, redirect, test webhook).
pub const MAX_URL_LEN: usize = 2048;
/// Longest webhook secret.
pub const MAX_SECRET_LEN: usize = 1024;
/// Longest order lifetime.
pub const MAX_ORDER_TTL: Duration = Duration::from_secs(10 * 366 * 86_400);
/// Longest delay between two webhook attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(366 * 86_400);
/// Most attempts per webhook delivery.
pub const MAX_WEBHOOK_ATTEMPTS: u32 = 100_000;
/// Longest wait for a webhook receiver's answer.
pub const MAX_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(3_600);

/// An absolute `http` or `https` URL of at most [`MAX_URL_LEN`] bytes.
pub fn check_url(field: &str, url: &str) -> Result<(), String> {
    if url.len() > MAX_URL_LEN {
        return Err(format!(
            "{field} is longer than {MAX_URL_LEN} bytes ({} bytes)",
            url.len()
        ));
    }
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(()),
        Ok(_) => Err(format!(
            "{field} must be an http:// or https:// URL with a host"
        )),
        Err(e) => Err(format!(
            "{field} must be an absolute http:// or https:// URL ({e})"
        )),
    }
}

/// A time a record may carry: from the epoch to the year 9999.
pub fn check_time(field: &str, ms: Millis) -> Result<(), String> {
    if (0..=LATEST_TIME_MS).contains(&ms) {
        Ok(())
    } else {
        Err(format!(
            "{field} {ms} is not a time between 1970 and 9999 (epoch milliseconds)"
        ))
    }
}

/// An amount of rupiah from 1 to [`MAX_AMOUNT`].
pub fn check_amount(field: &str, amount: i64) -> Result<(), String> {
    if (1..=MAX_AMOUNT).contains(&amount) {
        Ok(())
    } else {
        Err(format!(
            "{field} must be a whole number of rupiah from 1 to {MAX_AMOUNT} (2^53 - 1), got \
             {amount}"
        ))
    }
}
