//! Synthetic images for the tests: a document-like card and the degraded copies of it that
//! the verdict must recognise. Generated, not stored, so the tests need no fixtures and the
//! figures quoted next to `QualityThresholds::default` can be reproduced.

use image::imageops::{self, FilterType};
use image::{DynamicImage, Rgb, RgbImage};

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 760;

/// Marsaglia's xorshift32: deterministic texture without a dependency.
struct XorShift(u32);

impl XorShift {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// A value in `-amplitude..=amplitude`.
    fn noise(&mut self, amplitude: i32) -> i32 {
        (self.next() % (2 * amplitude as u32 + 1)) as i32 - amplitude
    }
}

fn fill(image: &mut RgbImage, x0: u32, y0: u32, x1: u32, y1: u32, colour: [u8; 3]) {
    for y in y0..y1.min(image.height()) {
        for x in x0..x1.min(image.width()) {
            image.put_pixel(x, y, Rgb(colour));
        }
    }
}

/// A line of "words" made of vertical strokes, as printed text looks at a distance: dark,
/// thin, sharp-edged, irregular widths.
fn text_line(image: &mut RgbImage, rng: &mut XorShift, x0: u32, x1: u32, y: u32, height: u32) {
    let mut x = x0;
    while x < x1 {
        let word_end = (x + 30 + rng.next() % 90).min(x1);
        while x < word_end {
            let stroke = 2 + rng.next() % 3;
            fill(image, x, y, x + stroke, y + height, [28, 26, 38]);
            if rng.next() % 3 == 1 {
                // A crossbar, as in e, t, H: horizontal edges too.
                fill(
                    image,
                    x,
                    y + height / 2,
                    x + 6,
                    y + height / 2 + 2,
                    [28, 26, 38],
                );
            }
            x += stroke + 3 + rng.next() % 4;
        }
        x += 14 + rng.next() % 10;
    }
}

/// A 1200x760 ID-card-like image: light background with texture noise, a blue header band,
/// a red stripe, a portrait, lines of text and two MRZ-like lines.
pub fn card() -> RgbImage {
    let mut rng = XorShift(0x9E37_79B9);
    let mut image = RgbImage::new(CARD_WIDTH, CARD_HEIGHT);
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        // A faint diagonal guilloche-like tint, as security printing has.
        let tint = ((x + 2 * y) % 40) as i32 / 8;
        let base = [222 + tint, 226, 216 - tint];
        let noise = rng.noise(5);
        *pixel = Rgb(base.map(|channel| (channel + noise).clamp(0, 255) as u8));
    }
    fill(&mut image, 0, 0, CARD_WIDTH, 110, [38, 88, 168]);
    fill(&mut image, 40, 30, 520, 80, [235, 235, 240]);
    fill(&mut image, 0, 720, CARD_WIDTH, 740, [186, 48, 58]);
    portrait(&mut image, &mut rng, 70, 160, 330, 460);
    for line in 0..8 {
        text_line(&mut image, &mut rng, 450, 1130, 170 + line * 52, 22);
    }
    text_line(&mut image, &mut rng, 60, 1140, 640, 24);
    text_line(&mut image, &mut rng, 60, 1140, 678, 24);
    image
}

/// A coloured portrait: sky-blue backdrop, a skin-toned face, dark hair and a shirt.
fn portrait(image: &mut RgbImage, rng: &mut XorShift, x0: u32, y0: u32, width: u32, height: u32) {
    let (cx, cy) = (
        x0 as f32 + width as f32 / 2.0,
        y0 as f32 + height as f32 * 0.42,
    );
    let (rx, ry) = (width as f32 * 0.3, height as f32 * 0.28);
    for y in y0..y0 + height {
        for x in x0..x0 + width {
            let (dx, dy) = ((x as f32 - cx) / rx, (y as f32 - cy) / ry);
            let inside_face = dx * dx + dy * dy <= 1.0;
            let hair = dx * dx + (dy + 0.35) * (dy + 0.35) <= 1.0 && dy < -0.45;
            let shirt = y > y0 + height * 3 / 4;
            let colour = if hair {
                [58, 40, 30]
            } else if inside_face {
                [214, 164, 132]
            } else if shirt {
                [150, 40, 60]
            } else {
                let shade = ((y - y0) * 60 / height) as u8;
                [110 + shade / 2, 160 + shade / 3, 205]
            };
            let noise = rng.noise(4);
            let pixel = colour.map(|channel| (i32::from(channel) + noise).clamp(0, 255) as u8);
            image.put_pixel(x, y, Rgb(pixel));
        }
    }
}

pub fn blurred(card: &RgbImage, sigma: f32) -> RgbImage {
    imageops::blur(card, sigma)
}

/// Every channel multiplied by `factor`: an underexposed photo.
pub fn scaled(card: &RgbImage, factor: f32) -> RgbImage {
    let mut out = card.clone();
    for pixel in out.pixels_mut() {
        pixel.0 = pixel
            .0
            .map(|c| (f32::from(c) * factor).round().min(255.0) as u8);
    }
    out
}

/// Every channel raised by `offset`, clipped: an overexposed photo.
pub fn raised(card: &RgbImage, offset: u8) -> RgbImage {
    let mut out = card.clone();
    for pixel in out.pixels_mut() {
        pixel.0 = pixel.0.map(|c| c.saturating_add(offset));
    }
    out
}

/// A saturated white ellipse over about 35% of the image: a reflection of a lamp on the
/// card's laminate.
pub fn with_glare(card: &RgbImage) -> RgbImage {
    let mut out = card.clone();
    let (cx, cy, rx, ry) = (760.0f32, 360.0f32, 430.0f32, 236.0f32);
    for (x, y, pixel) in out.enumerate_pixels_mut() {
        let (dx, dy) = ((x as f32 - cx) / rx, (y as f32 - cy) / ry);
        if dx * dx + dy * dy <= 1.0 {
            *pixel = Rgb([255, 255, 255]);
        }
    }
    out
}

/// A photocopy: luma only, stored back as RGB as a phone camera would.
pub fn greyscale(card: &RgbImage) -> RgbImage {
    DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(card.clone()).into_luma8()).into_rgb8()
}

pub fn small(card: &RgbImage) -> RgbImage {
    imageops::resize(card, 400, 253, FilterType::Triangle)
}
