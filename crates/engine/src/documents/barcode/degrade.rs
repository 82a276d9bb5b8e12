//! What a phone does to a barcode: the tests print a symbol on a card and then blur, tilt,
//! darken, add noise to and JPEG-compress the photo of it.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{imageops, DynamicImage, GrayImage, ImageError, Luma, Rgb, RgbImage};
use rxing::pdf417::PDF417Writer;
use rxing::{BarcodeFormat, EncodeHintValue, EncodeHints, Exceptions, Writer};

use super::prepare::rotated;

/// Pixels per module: what a phone gets from a licence filling a 1200 pixel wide photo.
pub(super) const MODULE: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub(super) enum RenderError {
    #[error("encoding: {0}")]
    Encode(#[from] Exceptions),
    #[error("image: {0}")]
    Image(#[from] ImageError),
}

/// The PDF417 symbol of `text`, black on white, `MODULE` pixels a module, without quiet zone.
/// Error correction level 5, as many issuers use; AAMVA requires at least 3.
pub(super) fn symbol(text: &str, format: BarcodeFormat) -> Result<GrayImage, RenderError> {
    // Levels are numbers for PDF417, letters for QR codes.
    let level = if format == BarcodeFormat::PDF_417 {
        "5"
    } else {
        "M"
    };
    let hints = EncodeHints::default()
        .with(EncodeHintValue::Margin("0".into()))
        .with(EncodeHintValue::ErrorCorrection(level.into()));
    let matrix = match format {
        BarcodeFormat::PDF_417 => {
            PDF417Writer::new().encode_with_hints(text, &format, 0, 0, &hints)?
        }
        _ => rxing::qrcode::QRCodeWriter.encode_with_hints(text, &format, 0, 0, &hints)?,
    };
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    Ok(GrayImage::from_fn(
        width * MODULE,
        height * MODULE,
        |x, y| {
            Luma([if matrix.get(x / MODULE, y / MODULE) {
                0
            } else {
                255
            }])
        },
    ))
}

/// `symbol` on the back of a card: a pale, tinted background with some dark print around it,
/// and a quiet zone of 6 modules (AAMVA asks for 2) between them.
pub(super) fn on_card(symbol: &GrayImage) -> RgbImage {
    let quiet = 6 * MODULE;
    let (width, height) = symbol.dimensions();
    let card_width = width + 2 * quiet + width / 3;
    let card_height = height + 2 * quiet + height;
    let (left, top) = (quiet + width / 6, quiet + height * 2 / 3);
    RgbImage::from_fn(card_width, card_height, |x, y| {
        let inside_x = x >= left - quiet && x < left + width + quiet;
        let inside_y = y >= top - quiet && y < top + height + quiet;
        if inside_x && inside_y {
            let level = match (x.checked_sub(left), y.checked_sub(top)) {
                (Some(sx), Some(sy)) => symbol.get_pixel_checked(sx, sy).map_or(255, |p| p.0[0]),
                _ => 255,
            };
            // Printed on the card's tint, not on pure white.
            let level = 16 + u32::from(level) * 210 / 255;
            let level = u8::try_from(level).unwrap_or(u8::MAX);
            Rgb([level, level, level.saturating_sub(8)])
        } else if (y / 9) % 4 == 0 && (x / 5) % 7 != 0 && y < top - quiet {
            // Lines of "text" above the symbol.
            Rgb([60, 60, 70])
        } else {
            Rgb([226, 218, 200])
        }
    })
}

pub(super) fn gray(image: &RgbImage) -> GrayImage {
    DynamicImage::ImageRgb8(image.clone()).to_luma8()
}

pub(super) fn tilted(image: &GrayImage, degrees: f32) -> GrayImage {
    rotated(image, degrees, 200)
}

pub(super) fn blurred(image: &GrayImage, sigma: f32) -> GrayImage {
    imageops::blur(image, sigma)
}

/// Noise of about `amplitude` grey levels (the sum of three uniform draws, close to a
/// Gaussian), reproducible from `seed`.
pub(super) fn noisy(image: &GrayImage, amplitude: f32, seed: u64) -> GrayImage {
    let mut state = seed.max(1);
    let mut uniform = move || {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32 - 0.5
    };
    let mut out = image.clone();
    for pixel in out.pixels_mut() {
        let noise = (uniform() + uniform() + uniform()) * amplitude * 2.0;
        pixel.0[0] = (f32::from(pixel.0[0]) + noise).round().clamp(0.0, 255.0) as u8;
    }
    out
}

/// Light falling from one side: full brightness on the right, `darkest` of it on the left,
/// and a little dimmer towards the bottom.
pub(super) fn unevenly_lit(image: &GrayImage, darkest: f32) -> GrayImage {
    let (width, height) = image.dimensions();
    let mut out = image.clone();
    for (x, y, pixel) in out.enumerate_pixels_mut() {
        let across = x as f32 / width.max(1) as f32;
        let down = y as f32 / height.max(1) as f32;
        let light = (darkest + (1.0 - darkest) * across) * (1.0 - 0.2 * down);
        pixel.0[0] = (f32::from(pixel.0[0]) * light).round().clamp(0.0, 255.0) as u8;
    }
    out
}

/// Through a JPEG encoder at `quality` and back.
pub(super) fn jpeg(image: &GrayImage, quality: u8) -> Result<DynamicImage, RenderError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(Cursor::new(&mut bytes), quality).encode_image(image)?;
    Ok(image::load_from_memory(&bytes)?)
}

/// The photo of a card held at an angle to the lens, its top edge farther: the top is
/// narrowed by `narrowing` (0.1 = 10 %), the rows in between in proportion. A trapezoid, the
/// essential of a perspective, without its vertical foreshortening.
pub(super) fn keystoned(image: &GrayImage, narrowing: f32) -> GrayImage {
    let (width, height) = image.dimensions();
    let centre = width as f32 / 2.0;
    GrayImage::from_fn(width, height, |x, y| {
        let from_top = y as f32 / height.max(1) as f32;
        let scale = 1.0 - narrowing * (1.0 - from_top);
        let source_x = centre + (x as f32 + 0.5 - centre) / scale;
        if source_x < 0.0 {
            return Luma([200]);
        }
        image
            .get_pixel_checked(source_x as u32, y)
            .map_or(Luma([200]), |pixel| *pixel)
    })
}
