//! The C strings the library hands out: texts it composes, and a result's texts in one
//! allocation.

use std::ffi::{c_char, CString};
use std::ptr;

/// A C string of a text the library composes (an error message, the base URL, the
/// user-agent, JSON, which escapes U+0000). None holds a NUL; were one to, it would be
/// dropped rather than end the text early. Texts read from an answer or a webhook go
/// through [`CTexts`], which refuses a NUL instead.
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

/// A result's texts as C strings in one allocation: they are made together and freed
/// together with their handle, and an allocation per text cost more than copying them (PHP
/// reads all of a result's fields in one call). Text `i` is `texts[i]` of [`CTexts::new`].
pub(crate) struct CTexts<const N: usize> {
    bytes: Box<[u8]>,
    starts: [Option<usize>; N],
}

impl<const N: usize> CTexts<N> {
    /// The texts, or the place of the first that holds U+0000: a C string would end there,
    /// and the caller would read another text than the one the library checked (an event's
    /// order id that is not the id `cashi_client_confirm_event` confirms). The caller turns
    /// the place into an error naming the field.
    pub(crate) fn new(texts: [Option<&str>; N]) -> Result<Self, usize> {
        if let Some(i) = texts
            .iter()
            .position(|t| t.is_some_and(|t| t.contains('\0')))
        {
            return Err(i);
        }
        let len = texts.iter().flatten().map(|text| text.len() + 1).sum();
        let mut bytes = Vec::with_capacity(len);
        let mut starts = [None; N];
        for (start, text) in starts.iter_mut().zip(texts) {
            let Some(text) = text else { continue };
            *start = Some(bytes.len());
            bytes.extend_from_slice(text.as_bytes());
            bytes.push(0);
        }
        Ok(CTexts {
            bytes: bytes.into_boxed_slice(),
            starts,
        })
    }

    /// Text `i`, NUL-terminated, valid as long as `self`; NULL when it was absent.
    pub(crate) fn ptr(&self, i: usize) -> *const c_char {
        self.starts[i].map_or(ptr::null(), |start| self.bytes[start..].as_ptr().cast())
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

    fn read(texts: &CTexts<4>, i: usize) -> Option<&str> {
        let p = texts.ptr(i);
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap())
    }

    #[test]
    fn texts_share_one_allocation_and_keep_their_places() {
        let texts = CTexts::new([Some("INV-1"), None, Some(""), Some("ab")]).unwrap();
        assert_eq!(read(&texts, 0), Some("INV-1"));
        assert_eq!(read(&texts, 1), None);
        assert_eq!(read(&texts, 2), Some(""));
        assert_eq!(read(&texts, 3), Some("ab"));
        assert_eq!(texts.bytes.len(), "INV-1".len() + 1 + 1 + "ab".len() + 1);
    }

    #[test]
    fn a_text_holding_a_nul_is_refused_not_cut() {
        assert_eq!(
            CTexts::new([Some("INV-1"), None, Some("a\0b"), Some("\0")]).err(),
            Some(2)
        );
    }
}
