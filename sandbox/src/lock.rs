//! The mutex every shared part of the sandbox uses.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A mutex that a panic does not poison. Each request's panic is caught and answered 500
/// (see `server.rs`); the next request must still get the state, not a poisoned lock that
/// fails every later request. What the panicking request changed stays changed.
#[derive(Debug, Default)]
pub struct Lock<T>(Mutex<T>);

impl<T> Lock<T> {
    pub fn new(value: T) -> Self {
        Lock(Mutex::new(value))
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
