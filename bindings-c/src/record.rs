//! What the generated accessors (`records.rs`, written by `tools/codegen` from the core's
//! schemas) are built on: the texts of a record in one allocation, and the reading of a
//! record's fields struct through its handle.

use std::ffi::c_char;
use std::ptr;

use cashi::model::Value;

use crate::error::shield;
use crate::util;

/// A handle whose record's fields the generated accessors read: every result handle keeps
/// its fields struct (`cashi_<record>_fields`), filled once when it is made.
pub(crate) trait HasFields {
    type Fields: Copy;

    fn fields(&self) -> &Self::Fields;
}

/// What an accessor returns: `pick` of the handle's fields, or `fallback` when the handle
/// is NULL (or, were there a bug, on a panic).
pub(crate) fn read<H: HasFields, T: Copy>(
    handle: *const H,
    fallback: T,
    pick: impl FnOnce(&H::Fields) -> T,
) -> T {
    shield(fallback, || {
        // SAFETY: NULL or a live handle of this type (the header's contract).
        unsafe { handle.as_ref() }.map_or(fallback, |h| pick(h.fields()))
    })
}

/// What `cashi_<record>_get_fields` does: `*out` = the handle's fields, or false (and
/// `*out` untouched) when either pointer is NULL.
pub(crate) fn get_fields<H: HasFields>(handle: *const H, out: *mut H::Fields) -> bool {
    util::fill(handle, out, |h| *h.fields())
}

/// A record's texts as C strings in one allocation: they are made together and freed
/// together with their handle, and an allocation per text cost more than copying them (PHP
/// reads all of a record's fields in one call). Texts are set by their place among the
/// record's texts; a text holding U+0000 is refused (a C string would end there, and the
/// caller would read another text than the one the library checked) and the first such
/// field's name is the error.
pub(crate) struct TextsBuilder<const N: usize> {
    bytes: Vec<u8>,
    starts: [Option<usize>; N],
    error: Option<String>,
}

/// Room a builder starts with, and keeps after a text that does not fit: most records'
/// texts fit in it, and an order's QR data URI (kilobytes) costs one reallocation, of the
/// few texts before it.
const ROOM: usize = 256;

impl<const N: usize> TextsBuilder<N> {
    pub(crate) fn new() -> Self {
        TextsBuilder {
            bytes: Vec::with_capacity(ROOM),
            starts: [None; N],
            error: None,
        }
    }

    /// Text `i`, the field `name`: a text or a timestamp (as RFC 3339 text), absent or
    /// copied.
    pub(crate) fn set(&mut self, i: usize, name: &str, value: Value<'_>) {
        match value {
            Value::Text(text) => self.text(i, name, text),
            Value::Timestamp(time) => {
                let text = time.map(|t| cashi::timestamp::format(&t));
                self.text(i, name, text.as_deref());
            }
            _ => {}
        }
    }

    fn text(&mut self, i: usize, name: &str, text: Option<&str>) {
        let Some(text) = text else { return };
        if text.contains('\0') {
            self.fail(name.to_string());
            return;
        }
        if self.bytes.capacity() - self.bytes.len() <= text.len() {
            self.bytes.reserve_exact(text.len() + 1 + ROOM);
        }
        self.starts[i] = Some(self.bytes.len());
        self.bytes.extend_from_slice(text.as_bytes());
        self.bytes.push(0);
    }

    /// Records that field `path` (of a nested record) held U+0000, unless an earlier one did.
    pub(crate) fn fail(&mut self, path: String) {
        self.error.get_or_insert(path);
    }

    /// The texts, or the name of the first field that held U+0000.
    pub(crate) fn finish(self) -> Result<Texts<N>, String> {
        match self.error {
            Some(field) => Err(field),
            None => Ok(Texts {
                bytes: self.bytes,
                starts: self.starts,
            }),
        }
    }
}

/// The texts a [`TextsBuilder`] made.
pub(crate) struct Texts<const N: usize> {
    bytes: Vec<u8>,
    starts: [Option<usize>; N],
}

impl<const N: usize> Texts<N> {
    /// Text `i`, NUL-terminated, valid as long as `self`; NULL when it was absent.
    pub(crate) fn ptr(&self, i: usize) -> *const c_char {
        self.starts[i].map_or(ptr::null(), |start| self.bytes[start..].as_ptr().cast())
    }
}

/// The pointer a fields struct holds for a nested record: NULL when absent.
pub(crate) fn nested<T>(record: &Option<Box<T>>) -> *const T {
    record.as_deref().map_or(ptr::null(), |r| r as *const T)
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;

    fn read(texts: &Texts<4>, i: usize) -> Option<&str> {
        let p = texts.ptr(i);
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap())
    }

    #[test]
    fn texts_share_one_allocation_and_keep_their_places() {
        let values = [
            Value::Text(Some("INV-1")),
            Value::Text(None),
            Value::Text(Some("")),
            Value::Text(Some("ab")),
        ];
        let mut builder = TextsBuilder::<4>::new();
        for (i, value) in values.into_iter().enumerate() {
            builder.set(i, "field", value);
        }
        let texts = builder.finish().unwrap();
        assert_eq!(read(&texts, 0), Some("INV-1"));
        assert_eq!(read(&texts, 1), None);
        assert_eq!(read(&texts, 2), Some(""));
        assert_eq!(read(&texts, 3), Some("ab"));
        assert_eq!(texts.bytes.len(), "INV-1".len() + 1 + 1 + "ab".len() + 1);
    }

    #[test]
    fn a_long_text_takes_one_reallocation_and_keeps_room_after_it() {
        let long = "x".repeat(5000);
        let mut builder = TextsBuilder::<4>::new();
        builder.set(0, "order_id", Value::Text(Some("INV-1")));
        builder.set(1, "qr_url", Value::Text(Some(&long)));
        let capacity = builder.bytes.capacity();
        assert_eq!(capacity, "INV-1".len() + 1 + long.len() + 1 + ROOM);
        builder.set(2, "provider", Value::Text(Some("CASHI")));
        builder.set(
            3,
            "expires_at",
            Value::Text(Some("2026-01-01T10:00:00+07:00")),
        );
        assert_eq!(builder.bytes.capacity(), capacity, "no second reallocation");
        let texts = builder.finish().unwrap();
        assert_eq!(read(&texts, 1).map(str::len), Some(5000));
        assert_eq!(read(&texts, 2), Some("CASHI"));
    }

    #[test]
    fn a_text_holding_a_nul_is_refused_not_cut_and_named() {
        let mut builder = TextsBuilder::<4>::new();
        builder.set(0, "order_id", Value::Text(Some("INV-1")));
        builder.set(2, "provider", Value::Text(Some("a\0b")));
        builder.set(3, "bank", Value::Text(Some("\0")));
        assert_eq!(builder.finish().err().as_deref(), Some("provider"));
        let mut builder = TextsBuilder::<1>::new();
        builder.fail("virtual_account.va_number".to_string());
        builder.set(0, "order_id", Value::Text(Some("\0")));
        assert_eq!(
            builder.finish().err().as_deref(),
            Some("virtual_account.va_number")
        );
    }
}
