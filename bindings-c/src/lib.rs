//! The C ABI of the Cashi SDK: `libcashi.so` / `libcashi.a` with `include/cashi.h`.
//!
//! A thin layer over the `cashi` crate, in the manner of rustls-ffi: opaque handles,
//! `cashi_<noun>_<verb>` names, a `cashi_result` code (0 = OK) per call with the detail in
//! a `cashi_error` out-parameter, every body inside a panic boundary, NULL pointers and
//! invalid UTF-8 answered with `invalid_argument`. Blocking calls run on the core's lazily
//! built, fork-safe runtime (`cashi::runtime`): nothing starts when the library is loaded.

#![allow(non_camel_case_types)]
// Every `extern "C"` function checks its pointers for NULL; beyond that the C caller's
// promises are spelled out in each doc comment, as in rustls-ffi.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::{c_char, CString};

mod batch;
mod client;
mod ctexts;
mod error;
mod events;
#[cfg(test)]
mod fuzz_regressions;
mod order;
mod record;
// Written by tools/codegen from the core's schemas, formatted as it writes it.
#[rustfmt::skip]
mod records;
mod rules;
mod status;
mod util;
#[cfg(test)]
mod vector_tests;
mod webhook;
#[cfg(test)]
mod wiped_tests;

pub use batch::*;
pub use client::*;
pub use error::*;
pub use events::*;
pub use order::*;
pub use records::*;
pub use rules::*;
pub use status::*;
pub use webhook::*;

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The library's version, e.g. `0.1.0`.
///
/// Ownership: static storage, never freed. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_version() -> *const c_char {
    error::shield(std::ptr::null(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// Frees a string the library gave the caller as `char *` (e.g. from `cashi_testing_sign`).
/// NULL is ignored. Undefined: passing a `const char *` that a handle owns, or any pointer
/// this library did not give as `char *`; freeing it again; reading it after.
///
/// Thread-safety: no other thread may use `text` during or after this call.
#[no_mangle]
pub extern "C" fn cashi_string_free(text: *mut c_char) {
    error::shield((), || {
        if !text.is_null() {
            // SAFETY: `text` came from CString::into_raw in this library and is freed once.
            drop(unsafe { CString::from_raw(text) });
        }
    })
}
