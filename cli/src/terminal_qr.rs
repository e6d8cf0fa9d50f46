//! Drawing an order's QR code in the terminal. The PNG Cashi sent is decoded back to its
//! payload and redrawn with half-block characters, so what is shown is what was sent.

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

/// The QR as text lines, and the QRIS payload it carries.
pub fn draw(png: &[u8]) -> Result<(String, String), String> {
    let gray = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| format!("the QR image is not a readable PNG ({e})"))?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    let grid = prepared
        .detect_grids()
        .into_iter()
        .next()
        .ok_or("no QR code found in the image")?;
    let (_, payload) = grid
        .decode()
        .map_err(|e| format!("the QR code does not decode ({e})"))?;
    let code =
        QrCode::new(payload.as_bytes()).map_err(|e| format!("cannot redraw the QR code ({e})"))?;
    let art = code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .build();
    Ok((art, payload))
}
