//! Decoding the `qrUrl` data URI (`data:image/png;base64,...`) into PNG bytes.

use base64::Engine;

use crate::error::{Error, ErrorKind, Result};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The PNG bytes of a `data:image/png;base64,` URI. Whitespace inside the base64 (line
/// breaks from some encoders) is ignored; anything else malformed is a `decode` error.
pub fn decode_png(uri: &str) -> Result<Vec<u8>> {
    let rest = uri
        .trim()
        .strip_prefix("data:")
        .ok_or_else(|| malformed("it does not start with `data:`"))?;
    let (meta, payload) = rest
        .split_once(',')
        .ok_or_else(|| malformed("it has no `,` before the data"))?;
    let mut parts = meta.split(';');
    let media_type = parts.next().unwrap_or_default();
    if !media_type.eq_ignore_ascii_case("image/png") {
        return Err(malformed(&format!(
            "its media type is {media_type:?}, not image/png"
        )));
    }
    if !parts.any(|p| p.eq_ignore_ascii_case("base64")) {
        return Err(malformed("it is not base64-encoded"));
    }
    let compact: String = payload
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| malformed(&format!("its base64 is invalid ({e})")))?;
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(malformed("the decoded data is not a PNG image"));
    }
    Ok(bytes)
}

fn malformed(why: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("qrUrl: not a PNG data URI: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(bytes: &[u8]) -> String {
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn decodes_png() {
        let png = [PNG_SIGNATURE, b"rest"].concat();
        assert_eq!(decode_png(&uri(&png)).unwrap(), png);
        let wrapped = uri(&png).replace("base64,", "base64,\n");
        assert_eq!(decode_png(&wrapped).unwrap(), png);
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "http://x/qr.png",
            "data:image/png;base64",
            "data:image/jpeg;base64,AAAA",
            "data:image/png,AAAA",
            "data:image/png;base64,@@@@",
            &uri(b"GIF89a"),
        ] {
            let e = decode_png(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{bad}");
            assert!(e.message().starts_with("qrUrl:"));
        }
    }
}
