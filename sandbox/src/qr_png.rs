//! Draws a QR code as a PNG data URI, the form Cashi returns in `qrUrl`.

use base64::Engine;
use image::{GrayImage, ImageEncoder, Luma};
use qrcode::{Color, EcLevel, QrCode};

/// Pixels per QR module; 6 keeps a version-10 code around 400 px, easy to scan on screen.
const SCALE: u32 = 6;
/// The 4-module quiet zone the QR standard asks for.
const QUIET: u32 = 4;

/// Encodes `text` as a QR code (error correction M) and returns PNG bytes.
pub fn png(text: &str) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .expect("a QRIS payload always fits in a QR code");
    let width = code.width() as u32;
    let colors = code.to_colors();
    let size = (width + 2 * QUIET) * SCALE;
    let img = GrayImage::from_fn(size, size, |x, y| {
        let (mx, my) = (x / SCALE, y / SCALE);
        let dark = mx >= QUIET
            && my >= QUIET
            && mx < width + QUIET
            && my < width + QUIET
            && colors[((my - QUIET) * width + (mx - QUIET)) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), size, size, image::ExtendedColorType::L8)
        .expect("encoding a PNG into memory cannot fail");
    out
}

/// `data:image/png;base64,...` of the QR code for `text`.
pub fn data_uri(text: &str) -> String {
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(text))
    )
}
