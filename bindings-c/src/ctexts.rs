//! The C strings the library composes (messages, JSON); a result's texts are made by
//! `record::TextsBuilder`, which refuses a NUL instead.

use std::ffi::CString;

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
