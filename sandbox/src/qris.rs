//! The QRIS payload: EMVCo merchant-presented TLV, as Indonesian QRIS (ASPI) uses it.
//!
//! A dynamic QRIS (point of initiation `12`) carries the amount to pay in tag 54 and the
//! order reference in tag 62, so a banking app shows the exact amount with its unique code.
//! The checksum in tag 63 is CRC-16/CCITT-FALSE over everything before it, `6304` included.

/// The data that goes into one dynamic QRIS.
#[derive(Debug, Clone)]
pub struct QrisData<'a> {
    /// Amount to pay in whole rupiah (tag 54).
    pub amount: i64,
    /// Merchant name (tag 59, max 25 characters).
    pub merchant_name: &'a str,
    /// Merchant city (tag 60, max 15 characters).
    pub merchant_city: &'a str,
    /// The order id, put in tag 62 as bill number (01) and reference label (05).
    pub reference: &'a str,
}

/// Sandbox merchant account: a GUID and a PAN shaped like the real ones (NNS 93600...).
const MERCHANT_GUID: &str = "ID.CO.CASHI.WWW";
const MERCHANT_PAN: &str = "936000990000000001";
const MERCHANT_ID: &str = "CASHISANDBOX01";
const QRIS_GUID: &str = "ID.CO.QRIS.WWW";
const QRIS_NMID: &str = "ID1026000000001";
const MCC_MISC_RETAIL: &str = "5999";

/// Builds the full payload, CRC included.
pub fn payload(data: &QrisData<'_>) -> String {
    let merchant_account = [
        tlv("00", MERCHANT_GUID),
        tlv("01", MERCHANT_PAN),
        tlv("02", MERCHANT_ID),
        tlv("03", "UMI"),
    ]
    .concat();
    let qris_account = [tlv("00", QRIS_GUID), tlv("02", QRIS_NMID), tlv("03", "UMI")].concat();
    let reference = sanitize(data.reference, 25);
    let additional = [tlv("01", &reference), tlv("05", &reference)].concat();
    let mut out = [
        tlv("00", "01"),
        tlv("01", "12"),
        tlv("26", &merchant_account),
        tlv("51", &qris_account),
        tlv("52", MCC_MISC_RETAIL),
        tlv("53", "360"),
        tlv("54", &data.amount.to_string()),
        tlv("58", "ID"),
        tlv("59", &sanitize(data.merchant_name, 25)),
        tlv("60", &sanitize(data.merchant_city, 15)),
        tlv("62", &additional),
    ]
    .concat();
    out.push_str("6304");
    let crc = crc16_ccitt_false(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    out
}

/// One TLV element: two-digit id, two-digit length, value. Values are ASCII (see
/// [`sanitize`]), so the byte length equals the character count EMVCo means.
pub fn tlv(id: &str, value: &str) -> String {
    assert!(value.len() <= 99, "TLV value too long for tag {id}");
    format!("{id}{:02}{value}", value.len())
}

/// Keeps printable ASCII only (EMVCo "ans") and cuts to `max` characters; an empty
/// result becomes "-" because an empty TLV value is not allowed.
pub fn sanitize(s: &str, max: usize) -> String {
    let out: String = s
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(max)
        .collect();
    if out.is_empty() {
        "-".to_string()
    } else {
        out
    }
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no xor-out.
pub fn crc16_ccitt_false(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in data {
        crc ^= (byte as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// Splits a TLV string into (id, value) pairs; `None` if it is malformed. Used by tests and
/// handy for anyone checking a payload.
pub fn parse(s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if rest.len() < 4 || !rest.is_char_boundary(4) {
            return None;
        }
        let id = &rest[..2];
        let len: usize = rest[2..4].parse().ok()?;
        let value = rest.get(4..4 + len)?;
        out.push((id.to_string(), value.to_string()));
        rest = &rest[4 + len..];
    }
    Some(out)
}

/// True when the last element is tag 63 and its CRC matches the rest of the payload.
pub fn crc_is_valid(payload: &str) -> bool {
    if payload.len() < 8 || !payload.is_char_boundary(payload.len() - 4) {
        return false;
    }
    let (body, crc) = payload.split_at(payload.len() - 4);
    body.ends_with("6304") && format!("{:04X}", crc16_ccitt_false(body.as_bytes())) == crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_known_answer() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    #[test]
    fn payload_has_the_required_tags_in_order() {
        let p = payload(&QrisData {
            amount: 15023,
            merchant_name: "CASHI SANDBOX",
            merchant_city: "JAKARTA",
            reference: "INV-9921",
        });
        assert!(crc_is_valid(&p), "{p}");
        let tags = parse(&p).unwrap();
        let ids: Vec<&str> = tags.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(
            ids,
            ["00", "01", "26", "51", "52", "53", "54", "58", "59", "60", "62", "63"]
        );
        let get = |id: &str| tags.iter().find(|(i, _)| i == id).unwrap().1.clone();
        assert_eq!(get("00"), "01");
        assert_eq!(get("01"), "12");
        assert_eq!(get("53"), "360");
        assert_eq!(get("54"), "15023");
        assert_eq!(get("58"), "ID");
        let sub = parse(&get("62")).unwrap();
        assert_eq!(sub[0], ("01".to_string(), "INV-9921".to_string()));
        let acct = parse(&get("26")).unwrap();
        assert_eq!(acct[0].1, MERCHANT_GUID);
    }

    #[test]
    fn tampering_breaks_the_crc() {
        let p = payload(&QrisData {
            amount: 2001,
            merchant_name: "M",
            merchant_city: "C",
            reference: "X",
        });
        assert!(crc_is_valid(&p));
        assert!(!crc_is_valid(&p.replace("2001", "2002")));
    }

    #[test]
    fn long_or_odd_references_are_cut_to_ascii() {
        assert_eq!(sanitize("A/B?C#D E", 25), "A/B?C#D E");
        assert_eq!(sanitize("pesanan-ñ", 25), "pesanan-");
        assert_eq!(sanitize(&"x".repeat(40), 25).len(), 25);
        assert_eq!(sanitize("ñ", 25), "-");
    }
}
