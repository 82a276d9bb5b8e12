//! What a phone camera does to a document: each degradation alone, so that a test can name
//! what it survives; chain them for a realistic photo.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{imageops, ImageReader, Rgb, RgbImage};
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometric_transformations::{
    rotate_about_center, warp, warp_into, Border, Interpolation, Projection,
};
use imageproc::noise::gaussian_noise_mut;

use super::desk::on_desk;
use super::SyntheticError;
use crate::documents::mrz::generate::XorShift;

/// What rotation and perspective reveal beyond the photo's edges.
const OUTSIDE: Rgb<u8> = Rgb([90, 75, 60]);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Degradation {
    /// Clockwise, in degrees, about the centre; the photo keeps its size.
    Rotate(f32),
    /// Exact quarter turns clockwise (the photo taken sideways or upside down).
    QuarterTurns(u8),
    /// Each corner pulled towards the centre by a random share of the photo's size, up to
    /// this: the camera not parallel to the page.
    Perspective(f32),
    /// Gaussian blur of this sigma, in pixels: out of focus or moving.
    Blur(f32),
    /// Gaussian noise of this standard deviation, in grey levels: a dark room's sensor.
    Noise(f32),
    /// Re-encoded as JPEG at this quality (1-100).
    Jpeg(u8),
    /// Light falling across the photo: the far side gets this share less light, plus a soft
    /// shadow band.
    UnevenLight(f32),
    /// Resized by this factor: a lower-resolution camera, or the document further away.
    Resize(f32),
    /// Shown on a screen and photographed from it: every pixel lit as a red, a green and a
    /// blue stripe with a dark line under them, as an LCD does, and that screen photographed
    /// at this many camera pixels per screen pixel (the camera's pixels do not line up with
    /// the screen's, which makes moire), a little turned.
    Screen(f32),
    /// Copied on a colour copier and the copy photographed: every colour reprinted as cyan,
    /// magenta, yellow and black dots on white paper, each ink on a grid of its own turned 15,
    /// 75, 0 and 45 degrees as printers turn them, a dot cell this many photo pixels across (a
    /// 150-lpi copy photographed at 25 pixels per mm: 4.2).
    ColourCopy(f32),
    /// Photographed lying on a desk: the document this share of the photo's width (its
    /// longer side's share of the photo's longer side), on a `background` of kind 0 wood, 1
    /// dark table, 2 cluttered cloth, 3 white desk, turned up to 20 degrees either way and
    /// tilted. [`super::on_desk`] also says where its corners went.
    OnDesk { background: u8, scale: f32 },
    /// A soft specular highlight, an ellipse saturating to white at its centre, over this
    /// share of the image: a laminate or a holographic overlay catching the lamp.
    Glare(f32),
    /// The camera's automatic exposure: every channel scaled so that the mean brightness is
    /// this level (a phone aims at a middle grey, about 118). A screen photographed through
    /// `Screen` comes out dim, its stripes lighting a third of each pixel; a phone brightens it.
    Exposure(u8),
}

impl Degradation {
    /// A hand-held phone photo of a page on a desk: a little tilted and turned, lit from one
    /// side, slightly out of focus, a sensor's noise, saved as a middling JPEG. The tests'
    /// common "realistic" case.
    pub const PHONE_PHOTO: [Degradation; 6] = [
        Degradation::Perspective(0.05),
        Degradation::Rotate(3.0),
        Degradation::UnevenLight(0.35),
        Degradation::Blur(1.0),
        Degradation::Noise(6.0),
        Degradation::Jpeg(65),
    ];
}

fn unit(rng: &mut XorShift) -> f32 {
    rng.next() as f32 / u32::MAX as f32
}

fn perspective(
    image: &RgbImage,
    strength: f32,
    rng: &mut XorShift,
) -> Result<RgbImage, SyntheticError> {
    let (width, height) = image.dimensions();
    let (w, h) = (width as f32, height as f32);
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let towards_centre = [(1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)];
    let mut moved = corners;
    for (corner, (sx, sy)) in moved.iter_mut().zip(towards_centre) {
        corner.0 += sx * unit(rng) * strength * w;
        corner.1 += sy * unit(rng) * strength * h;
    }
    let projection =
        Projection::from_control_points(corners, moved).ok_or(SyntheticError::Projection)?;
    Ok(warp(
        image,
        projection,
        Interpolation::Bilinear,
        Border::Constant(OUTSIDE),
    ))
}

fn jpeg(image: &RgbImage, quality: u8) -> Result<RgbImage, SyntheticError> {
    let mut bytes = Vec::new();
    image.write_with_encoder(JpegEncoder::new_with_quality(
        &mut bytes,
        quality.clamp(1, 100),
    ))?;
    let decoded =
        ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg).decode()?;
    Ok(decoded.to_rgb8())
}

fn uneven_light(image: &RgbImage, strength: f32, rng: &mut XorShift) -> RgbImage {
    let (width, height) = image.dimensions();
    let angle = unit(rng) * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let diagonal = (width as f32).hypot(height as f32).max(1.0);
    let shadow_at = unit(rng);
    let mut out = image.clone();
    for (x, y, pixel) in out.enumerate_pixels_mut() {
        let (fx, fy) = (
            x as f32 - width as f32 / 2.0,
            y as f32 - height as f32 / 2.0,
        );
        // 0 on the bright side to 1 on the dark side.
        let along = ((fx * dx + fy * dy) / diagonal + 0.5).clamp(0.0, 1.0);
        let shadow = (-((along - shadow_at) * 8.0).powi(2)).exp();
        let light = (1.0 - strength * along) * (1.0 - 0.5 * strength * shadow);
        *pixel = Rgb(pixel
            .0
            .map(|c| (f32::from(c) * light).clamp(0.0, 255.0) as u8));
    }
    out
}

fn screen(
    image: &RgbImage,
    camera_per_screen_pixel: f32,
    rng: &mut XorShift,
) -> Result<RgbImage, SyntheticError> {
    const SUBPIXELS: u32 = 3;
    let (width, height) = image.dimensions();
    let mut lit = RgbImage::new(width * SUBPIXELS, height * SUBPIXELS);
    for (x, y, pixel) in lit.enumerate_pixels_mut() {
        let (column, row) = ((x % SUBPIXELS) as usize, y % SUBPIXELS);
        let source = image.get_pixel(x / SUBPIXELS, y / SUBPIXELS).0;
        // The camera's exposure makes up for the light each stripe does not give.
        let gain = if row == SUBPIXELS - 1 { 0.6 } else { 2.7 };
        let mut out = [0u8; 3];
        if let (Some(slot), Some(value)) = (out.get_mut(column), source.get(column)) {
            *slot = (f32::from(*value) * gain).min(255.0) as u8;
        }
        *pixel = Rgb(out);
    }
    // Each camera pixel samples the screen at one point: no lens blur to average the stripes
    // away, as a sharp photo of a screen shows them.
    let factor = camera_per_screen_pixel / SUBPIXELS as f32;
    let (out_width, out_height) = (
        ((width * SUBPIXELS) as f32 * factor).round().max(1.0) as u32,
        ((height * SUBPIXELS) as f32 * factor).round().max(1.0) as u32,
    );
    let projection = Projection::translate(out_width as f32 / 2.0, out_height as f32 / 2.0)
        * Projection::rotate((0.5 + 1.5 * unit(rng)).to_radians())
        * Projection::scale(factor, factor)
        * Projection::translate(
            -((width * SUBPIXELS) as f32) / 2.0,
            -((height * SUBPIXELS) as f32) / 2.0,
        );
    let mut turned = RgbImage::new(out_width, out_height);
    warp_into(
        &lit,
        projection,
        Interpolation::Bilinear,
        Border::Constant(OUTSIDE),
        &mut turned,
    );
    jpeg(&turned, 85)
}

/// The four inks: each one's screen angle, and how much of red, green and blue light it lets
/// through where it lies.
const INKS: [(f32, [f32; 3]); 4] = [
    (15.0, [0.15, 0.85, 1.0]),
    (75.0, [1.0, 0.2, 0.85]),
    (0.0, [1.0, 0.95, 0.15]),
    (45.0, [0.12, 0.12, 0.12]),
];
const COPY_PAPER: [f32; 3] = [250.0, 249.0, 244.0];
/// Samples per photo pixel along each side: the camera averages the dots under each pixel.
const COPY_SAMPLES: u32 = 4;

fn colour_copy(image: &RgbImage, cell: f32, rng: &mut XorShift) -> RgbImage {
    let cell = cell.max(0.5);
    // The copy lies a little turned under the camera: the grids are not the photo's.
    let turn = (0.5 + 2.0 * unit(rng)).to_radians();
    let screens: Vec<(f32, f32, [f32; 3])> = INKS
        .iter()
        .map(|&(angle, light)| {
            let a = angle.to_radians() + turn;
            (a.cos(), a.sin(), light)
        })
        .collect();
    let mut out = image.clone();
    for (x, y, pixel) in out.enumerate_pixels_mut() {
        let [r, g, b] = image.get_pixel(x, y).0.map(|c| 1.0 - f32::from(c) / 255.0);
        // Half the grey is printed in black ink rather than in the three colours, as
        // copiers do (grey component replacement) to save ink and keep greys neutral.
        let k = 0.5 * r.min(g).min(b);
        let coverage = [r - k, g - k, b - k, k];
        let mut sum = [0.0f32; 3];
        for sy in 0..COPY_SAMPLES {
            for sx in 0..COPY_SAMPLES {
                let px = x as f32 + (sx as f32 + 0.5) / COPY_SAMPLES as f32;
                let py = y as f32 + (sy as f32 + 0.5) / COPY_SAMPLES as f32;
                let mut light = COPY_PAPER;
                for (&(cos, sin, through), &cover) in screens.iter().zip(&coverage) {
                    let (u, v) = ((px * cos + py * sin) / cell, (py * cos - px * sin) / cell);
                    let (du, dv) = (u - u.floor() - 0.5, v - v.floor() - 0.5);
                    // A round dot of the ink's coverage, grown into the cell's corners past
                    // the inscribed circle.
                    let radius = if cover <= std::f32::consts::FRAC_PI_4 {
                        (cover / std::f32::consts::PI).sqrt()
                    } else {
                        0.5 + 0.21 * (cover - std::f32::consts::FRAC_PI_4)
                            / (1.0 - std::f32::consts::FRAC_PI_4)
                    };
                    if du.hypot(dv) < radius {
                        for (channel, pass) in light.iter_mut().zip(through) {
                            *channel *= pass;
                        }
                    }
                }
                for (total, channel) in sum.iter_mut().zip(light) {
                    *total += channel;
                }
            }
        }
        let samples = (COPY_SAMPLES * COPY_SAMPLES) as f32;
        *pixel = Rgb(sum.map(|total| (total / samples).clamp(0.0, 255.0) as u8));
    }
    out
}

fn glare(image: &RgbImage, share: f32, rng: &mut XorShift) -> RgbImage {
    let (width, height) = image.dimensions();
    let (w, h) = (width as f32, height as f32);
    let (cx, cy) = ((0.2 + 0.6 * unit(rng)) * w, (0.2 + 0.6 * unit(rng)) * h);
    let elongation = 1.0 + 1.5 * unit(rng);
    let area = share.clamp(0.0, 1.0) * w * h;
    // Semi-axes a and b with a * b * pi = area and a = elongation * b.
    let minor = (area / (std::f32::consts::PI * elongation)).sqrt().max(1.0);
    let major = minor * elongation;
    let (sin, cos) = (unit(rng) * std::f32::consts::PI).sin_cos();
    let mut out = image.clone();
    for (x, y, pixel) in out.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (u, v) = (dx * cos + dy * sin, dy * cos - dx * sin);
        let radius_squared = (u / major).powi(2) + (v / minor).powi(2);
        // Clipped to white out to 43% of the radius, fading to a trace at the ellipse's edge.
        let alpha = (1.6 * (-2.5 * radius_squared).exp()).min(1.0);
        *pixel = Rgb(pixel
            .0
            .map(|c| (f32::from(c) + (255.0 - f32::from(c)) * alpha) as u8));
    }
    out
}

fn exposed(image: &RgbImage, level: u8) -> RgbImage {
    let pixels = (image.width() as f64 * image.height() as f64).max(1.0);
    let total: f64 = image
        .pixels()
        .map(|pixel| pixel.0.iter().map(|&c| f64::from(c)).sum::<f64>() / 3.0)
        .sum();
    let gain = (f64::from(level) / (total / pixels).max(1.0)) as f32;
    let mut out = image.clone();
    for pixel in out.pixels_mut() {
        pixel.0 = pixel
            .0
            .map(|c| (f32::from(c) * gain).round().min(255.0) as u8);
    }
    out
}

/// `image` with `degradation` applied; `seed` chooses the random parts.
pub fn degrade(
    image: &RgbImage,
    degradation: Degradation,
    seed: u32,
) -> Result<RgbImage, SyntheticError> {
    let mut rng = XorShift(seed.max(1));
    Ok(match degradation {
        Degradation::Rotate(degrees) => rotate_about_center(
            image,
            degrees.to_radians(),
            Interpolation::Bilinear,
            Border::Constant(OUTSIDE),
        ),
        Degradation::QuarterTurns(turns) => match turns % 4 {
            1 => imageops::rotate90(image),
            2 => imageops::rotate180(image),
            3 => imageops::rotate270(image),
            _ => image.clone(),
        },
        Degradation::Perspective(strength) => perspective(image, strength, &mut rng)?,
        Degradation::Blur(sigma) => gaussian_blur_f32(image, sigma.max(0.01)),
        Degradation::Noise(deviation) => {
            let mut noisy = image.clone();
            gaussian_noise_mut(&mut noisy, 0.0, f64::from(deviation), u64::from(seed));
            noisy
        }
        Degradation::Jpeg(quality) => jpeg(image, quality)?,
        Degradation::UnevenLight(strength) => uneven_light(image, strength, &mut rng),
        Degradation::Screen(camera_per_screen_pixel) => {
            screen(image, camera_per_screen_pixel, &mut rng)?
        }
        Degradation::ColourCopy(cell) => colour_copy(image, cell, &mut rng),
        Degradation::OnDesk { background, scale } => on_desk(image, background, scale, seed)?.0,
        Degradation::Glare(share) => glare(image, share, &mut rng),
        Degradation::Exposure(level) => exposed(image, level),
        Degradation::Resize(factor) => {
            let (width, height) = image.dimensions();
            let new = |side: u32| ((side as f32 * factor).round() as u32).max(1);
            imageops::resize(
                image,
                new(width),
                new(height),
                imageops::FilterType::Triangle,
            )
        }
    })
}
