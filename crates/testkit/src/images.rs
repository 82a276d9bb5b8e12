//! Images and files made in memory, so that no test needs a fixture file in the repository.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A photograph-like image: smooth gradients with texture, so that encoders produce realistic files.
pub fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed.wrapping_mul(31)) % 23;
        Rgb([
            ((x * 255 / width.max(1)) as u8).wrapping_add(noise as u8),
            ((y * 255 / height.max(1)) as u8).wrapping_add((seed % 50) as u8),
            (((x + y) % 256) as u8) / 2 + noise as u8,
        ])
    })
}

/// [`photo`] as a JPEG file.
pub fn jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    encoded_or_empty(photo(width, height, seed), ImageFormat::Jpeg)
}

/// [`photo`] as a PNG file.
pub fn png(width: u32, height: u32, seed: u32) -> Vec<u8> {
    encoded_or_empty(photo(width, height, seed), ImageFormat::Png)
}

/// `image` as a JPEG file; encoding an image in memory does not fail, and an empty file would
/// fail the upload that follows anyway.
pub fn encode_jpeg(image: RgbImage) -> Vec<u8> {
    encoded_or_empty(image, ImageFormat::Jpeg)
}

/// `image` as a file of `format`, for the tests that would rather see the encoder's error.
pub fn encode(image: &RgbImage, format: ImageFormat) -> anyhow::Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image.clone()).write_to(&mut out, format)?;
    Ok(out.into_inner())
}

fn encoded_or_empty(image: RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let _ = DynamicImage::ImageRgb8(image).write_to(&mut out, format);
    out.into_inner()
}

/// `image` on a white page `margin` pixels wider on every side: a scanner bed around a card.
pub fn on_white(image: &RgbImage, margin: u32) -> RgbImage {
    let mut page = RgbImage::from_pixel(
        image.width() + 2 * margin,
        image.height() + 2 * margin,
        Rgb([255, 255, 255]),
    );
    image::imageops::replace(&mut page, image, i64::from(margin), i64::from(margin));
    page
}

/// A one-page PDF made with lopdf: an empty page.
pub fn pdf() -> Vec<u8> {
    crate::bills::pdf_of_pages(1, |_, _| (b"BT ET".to_vec(), lopdf::Dictionary::new()))
}

/// A photograph of an ID-like card: light background, coloured bands, a portrait area and
/// dark text strokes with sharp edges, as the usability check expects of a readable document.
pub fn document_photo(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut card = RgbImage::from_pixel(width, height, Rgb([232, 226, 208]));
    let band = height / 7;
    for y in 0..band {
        for x in 0..width {
            card.put_pixel(x, y, Rgb([40, 70, 150]));
        }
    }
    let (photo_w, photo_h) = (width / 4, height / 2);
    for y in 0..photo_h {
        for x in 0..photo_w {
            let shade = (x * 120 / photo_w.max(1) + y * 80 / photo_h.max(1)) as u8;
            card.put_pixel(
                width / 20 + x,
                height / 4 + y,
                Rgb([150 + shade / 3, 110 + shade / 4, 90 + shade / 5]),
            );
        }
    }
    let line_height = height / 14;
    for line in 0..7 {
        let mut x = width / 3;
        let y0 = height / 4 + line * line_height;
        while x < width - width / 20 {
            let stroke = 4 + next() % 14;
            let glyph_height = line_height / 2;
            for dy in 0..glyph_height {
                for dx in 0..stroke.min(width - x) {
                    card.put_pixel(x + dx, y0 + dy, Rgb([25, 25, 35]));
                }
            }
            x += stroke + 3 + next() % 9;
        }
    }
    for pixel in card.pixels_mut() {
        let noise = (next() % 9) as i16 - 4;
        for channel in pixel.0.iter_mut() {
            *channel = (*channel as i16 + noise).clamp(0, 255) as u8;
        }
    }
    card
}

/// `file` (a JPEG) with a comment segment naming an image editor, as Photoshop leaves one.
pub fn edited_with_photoshop(file: &[u8]) -> Vec<u8> {
    let comment = b"Adobe Photoshop 25.4 (Windows)";
    let (start, rest) = file.split_at(file.len().min(2));
    let mut edited = start.to_vec();
    edited.extend_from_slice(&[0xFF, 0xFE]);
    edited.extend_from_slice(&u16::try_from(comment.len() + 2).unwrap_or(0).to_be_bytes());
    edited.extend_from_slice(comment);
    edited.extend_from_slice(rest);
    edited
}
