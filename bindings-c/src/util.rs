//! Argument reading and handle plumbing shared by the exported functions.

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use cashi::Error;

use crate::error::{invalid, shield};

/// A C string of a text the library composes (an error message, the base URL, the
/// user-agent, JSON, which escapes U+0000). None holds a NUL; were one to, it would be
/// dropped rather than end the text early. Texts read from an answer or a webhook go
/// through `record::TextsBuilder`, which refuses a NUL instead.
pub(crate) fn cstring(text: &str) -> CString {
    nul_free(text.to_string())
}

/// As [`cstring`].
pub(crate) fn nul_free(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).expect("no NUL bytes remain")
    })
}

/// Why a text holding U+0000 is refused, after the field's name.
pub(crate) const HOLDS_NUL: &str = "holds a NUL character (U+0000), which a C string cannot carry: libcashi refuses it rather than cut the text short";

/// What each `*_get_fields` function does: `*out = read(handle)`, or false (and `*out`
/// untouched) when either pointer is NULL.
pub(crate) fn fill<H, F>(handle: *const H, out: *mut F, read: impl FnOnce(&H) -> F) -> bool {
    shield(false, || {
        match (unsafe { handle.as_ref() }, unsafe { out.as_mut() }) {
            (Some(handle), Some(out)) => {
                *out = read(handle);
                true
            }
            _ => false,
        }
    })
}

/// A required text argument: NULL or invalid UTF-8 is `invalid_argument` naming `field`.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives the returned borrow.
pub(crate) unsafe fn text<'a>(p: *const c_char, field: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(invalid(format!("{field}: is NULL; pass a text")));
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|_| invalid(format!("{field}: is not valid UTF-8")))
}

/// An optional text argument: NULL is `None`.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn opt_text<'a>(p: *const c_char, field: &str) -> Result<Option<&'a str>, Error> {
    if p.is_null() {
        Ok(None)
    } else {
        text(p, field).map(Some)
    }
}

/// The bytes `buf[0..len]`; NULL is allowed only with `len == 0`.
///
/// # Safety
/// `buf` is NULL or points at `len` readable bytes that outlive the borrow.
pub(crate) unsafe fn bytes<'a>(
    buf: *const c_char,
    len: usize,
    field: &str,
) -> Result<&'a [u8], Error> {
    if buf.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(invalid(format!("{field}: is NULL but its length is {len}")));
    }
    Ok(std::slice::from_raw_parts(buf.cast::<u8>(), len))
}

/// A handle argument: NULL is `invalid_argument` naming `field`.
///
/// # Safety
/// `p` is NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn handle<'a, T>(p: *const T, field: &str) -> Result<&'a T, Error> {
    p.as_ref()
        .ok_or_else(|| invalid(format!("{field}: is NULL; pass a handle made by libcashi")))
}

/// Checks an out-pointer and clears it, so it holds NULL whenever the call fails.
///
/// # Safety
/// `out` is NULL or writable.
pub(crate) unsafe fn out<'a, T>(out: *mut *mut T, field: &str) -> Result<&'a mut *mut T, Error> {
    let slot = out
        .as_mut()
        .ok_or_else(|| invalid(format!("{field}: is NULL; pass where to store the result")))?;
    *slot = ptr::null_mut();
    Ok(slot)
}

/// Moves `value` to the heap and stores the handle in `slot`.
pub(crate) fn give<T>(slot: &mut *mut T, value: T) {
    *slot = Box::into_raw(Box::new(value));
}

/// Frees a handle made by [`give`]; NULL is ignored.
///
/// # Safety
/// `p` is NULL or a handle from [`give`] that is not used again.
pub(crate) unsafe fn free<T>(p: *mut T) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}
