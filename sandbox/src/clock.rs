//! The sandbox clock: real time plus an offset that `clock/advance` grows, so expiry and
//! webhook retries can be tested without real waiting.

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch on the sandbox clock.
pub type Millis = i64;

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn with_offset(offset_ms: i64) -> Self {
        Clock {
            offset_ms: AtomicI64::new(offset_ms),
        }
    }

    pub fn now(&self) -> Millis {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Moves the clock `ms` forward and returns the new offset, unless that would put it
    /// more than `max_offset` ahead of real time: then it stays and the offset is returned
    /// as the error.
    pub fn advance(&self, ms: i64, max_offset: i64) -> Result<i64, i64> {
        let new = |old: i64| old.checked_add(ms).filter(|n| (0..=max_offset).contains(n));
        self.offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, new)
            .map(|old| new(old).unwrap_or(old))
    }

    /// Back to real time (only used by reset, which forgets everything timed).
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::SeqCst);
    }

    pub fn offset(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}
