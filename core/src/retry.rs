//! When a failed request is sent again, and after how long.
//!
//! A GET (check-status) is safe to repeat. A POST create-order is repeated only when it
//! surely did not reach Cashi (no connection was made) or Cashi refused it outright (429,
//! 503): after a read timeout the order may exist, and a second one would charge twice.

use std::time::Duration;

/// How a request may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads: repeat on any transient failure.
    Safe,
    /// Creates: repeat only when the request surely had no effect.
    Unsafe,
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection was never established.
    NotConnected,
    /// The request may have been sent: a reset, a dropped answer, a read timeout.
    AfterSend,
    /// The server answered with this status.
    Status(u16),
    /// Anything that repeating cannot fix.
    Permanent,
}

/// Backoff: `base × 2^(n−1)`, capped, with jitter, `Retry-After` honoured up to the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Whether attempt number `retries_done + 1` may follow this failure.
    pub fn should_retry(
        &self,
        retries_done: u32,
        failure: Failure,
        idempotency: Idempotency,
    ) -> bool {
        if retries_done >= self.max_retries {
            return false;
        }
        match (failure, idempotency) {
            (Failure::Permanent, _) => false,
            (Failure::NotConnected, _) => true,
            (Failure::Status(429 | 503), _) => true,
            (Failure::Status(s), Idempotency::Safe) => s >= 500,
            (Failure::Status(_), Idempotency::Unsafe) => false,
            (Failure::AfterSend, Idempotency::Safe) => true,
            (Failure::AfterSend, Idempotency::Unsafe) => false,
        }
    }

    /// The pause before retry number `retry` (1-based).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.cap);
        }
        let exp = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let full = exp.min(self.cap);
        // "Equal jitter": half fixed, half random, so clients that failed together spread out.
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// `Retry-After` in seconds (the HTTP-date form is ignored: Cashi's CDN sends seconds).
/// A wait too long for a `Duration` is the longest one: [`RetryPolicy::delay`] caps it.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_order_only_retried_when_surely_unsent() {
        let p = RetryPolicy::default();
        use Failure::*;
        use Idempotency::*;
        assert!(p.should_retry(0, NotConnected, Unsafe));
        assert!(p.should_retry(0, Status(429), Unsafe));
        assert!(p.should_retry(0, Status(503), Unsafe));
        assert!(!p.should_retry(0, Status(500), Unsafe));
        assert!(!p.should_retry(0, Status(502), Unsafe));
        assert!(!p.should_retry(0, AfterSend, Unsafe));
        assert!(p.should_retry(0, AfterSend, Safe));
        assert!(p.should_retry(1, Status(502), Safe));
        assert!(!p.should_retry(0, Status(404), Safe));
        assert!(!p.should_retry(0, Permanent, Safe));
        assert!(!p.should_retry(2, NotConnected, Safe));
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy::default();
        for _ in 0..50 {
            let d1 = p.delay(1, None);
            assert!(d1 >= Duration::from_millis(250) && d1 <= Duration::from_millis(500));
            let d3 = p.delay(3, None);
            assert!(d3 >= Duration::from_millis(1000) && d3 <= Duration::from_millis(2000));
            assert!(p.delay(30, None) <= Duration::from_secs(5));
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(120))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("-0"), Some(Duration::ZERO));
        for text in ["NaN", "inf", "-inf", "", "1e"] {
            assert_eq!(parse_retry_after(text), None, "{text}");
        }
    }

    #[test]
    fn a_retry_after_too_long_for_a_duration_waits_the_cap() {
        let p = RetryPolicy::default();
        for text in ["1e300", "18446744073709551616", "1.8446744073709552e19"] {
            assert_eq!(parse_retry_after(text), Some(Duration::MAX), "{text}");
            assert_eq!(p.delay(1, parse_retry_after(text)), p.cap, "{text}");
        }
    }
}
