//! The QR image is real: decode the PNG back and check the QRIS payload inside it.

mod common;

use base64::Engine;
use common::*;
use serde_json::json;

fn decode_qr(data_uri: &str) -> String {
    let b64 = data_uri
        .strip_prefix("data:image/png;base64,")
        .expect("PNG data URI");
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .unwrap()
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        img.width() as usize,
        img.height() as usize,
        |x, y| img.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code in the image");
    grids[0].decode().expect("the QR code decodes").1
}

/// CRC-16/CCITT-FALSE written again here, independent of the sandbox's.
fn crc(data: &[u8]) -> u16 {
    data.iter().fold(0xFFFFu16, |mut c, &b| {
        c ^= (b as u16) << 8;
        for _ in 0..8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ 0x1021
            } else {
                c << 1
            };
        }
        c
    })
}

fn tags(s: &str) -> Vec<(String, String)> {
    cashi_sandbox::qris::parse(s).expect("well-formed TLV")
}

fn tag(tags: &[(String, String)], id: &str) -> String {
    tags.iter()
        .find(|(i, _)| i == id)
        .unwrap_or_else(|| panic!("tag {id} missing"))
        .1
        .clone()
}

#[tokio::test]
async fn qr_encodes_a_valid_dynamic_qris_with_the_amount_to_pay() {
    let sb = start().await;
    for (body, id) in [
        (json!({"amount": 15000, "order_id": "INV-9921"}), "INV-9921"),
        (
            json!({"amount": 50000, "order_id": "C-1", "kode_channel": "QRIS_CUSTOM"}),
            "C-1",
        ),
    ] {
        let a = create(&sb, body).await;
        let payload = decode_qr(a.body["qrUrl"].as_str().unwrap());
        let t = tags(&payload);
        assert_eq!(
            t[0],
            ("00".into(), "01".into()),
            "payload format indicator first"
        );
        assert_eq!(tag(&t, "01"), "12", "dynamic QR");
        assert_eq!(tag(&t, "53"), "360", "rupiah");
        assert_eq!(tag(&t, "58"), "ID");
        assert_eq!(
            tag(&t, "54"),
            a.body["amount"].as_i64().unwrap().to_string()
        );
        assert!(!tag(&t, "59").is_empty() && !tag(&t, "60").is_empty());
        assert_eq!(tag(&t, "52").len(), 4, "MCC");
        let account = tags(&tag(&t, "26"));
        assert!(tag(&account, "00").contains('.'), "merchant account GUID");
        assert!(!tag(&account, "01").is_empty(), "merchant PAN");
        let additional = tags(&tag(&t, "62"));
        assert_eq!(tag(&additional, "01"), id, "bill number = order id");
        // CRC last, over everything up to and including "6304".
        let (last_id, last) = t.last().unwrap();
        assert_eq!(last_id, "63");
        let body = &payload[..payload.len() - 4];
        assert!(body.ends_with("6304"));
        assert_eq!(last, &format!("{:04X}", crc(body.as_bytes())));
    }
}

#[tokio::test]
async fn checkout_page_shows_the_same_qr() {
    let sb = start().await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "PAGE-1"})).await;
    let html = client()
        .get(a.body["checkout_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html.find("id=\"qr\"").expect("#qr img");
    let src = &html[start..];
    let src = &src[src.find("src=\"").unwrap() + 5..];
    let src = &src[..src.find('"').unwrap()];
    let payload = decode_qr(src);
    assert_eq!(
        tag(&tags(&payload), "54"),
        a.body["amount"].as_i64().unwrap().to_string()
    );
    let rupiah = a.body["amount"].as_i64().unwrap();
    let text = format!("Rp {}.{:03}", rupiah / 1000, rupiah % 1000);
    assert!(
        html.contains(&format!("<div id=\"amount\">{text}</div>")),
        "{text}"
    );
    for id in ["countdown", "status", "simulate"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "#{id}");
    }
}
