//! A photo of a screen (DIGITAL_COPY): a screen lights each pixel as red, green and blue
//! stripes, and a camera that photographs it samples that grid at its own pitch, so the photo
//! carries moire, colour fringes of one frequency across the whole picture. Paper has no such
//! grid: ink is neutral and its colour varies smoothly.
//!
//! The evidence is the strongest single frequency of the photo's colour (R-G and B-G), in a
//! few windows over the middle of the photo where the document is, measured against the
//! typical strength of frequencies as fine (the median of its ring in the spectrum), which a
//! natural picture's smooth spectrum keeps near a few units and a grid sends to hundreds.

use image::RgbImage;
use rustfft::num_complex::Complex;
use rustfft::FftPlanner;

/// The window's side, in pixels; a power of two for the FFT.
const WINDOW: usize = 256;
/// Frequencies of fewer cycles per window are the document's layout and the light.
const MIN_RADIUS: usize = 8;
/// JPEG codes colour in blocks of 16 pixels (8, subsampled), whose edges are a grid of their
/// own: frequencies within a bin of its multiples are not looked at.
const JPEG_PERIOD_BINS: usize = WINDOW / 16;
/// A peak this many times its ring's median is a screen's grid. Measured on rendered
/// documents (`screen_tests`): photos of paper, clean or degraded, 4 to 29 (the highest from
/// a tinted guilloche, a faint colour pattern of its own); photos of screens from 1.1 to 2.3
/// camera pixels per screen pixel, 324 to 2408. The threshold sits between, nearer paper's
/// side by a factor of 5 and screens' by 2.
pub const SCREEN_THRESHOLD: f32 = 150.0;

/// How strongly a photo shows a screen's grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenEvidence {
    /// The strongest colour frequency against its ring's median, the median over windows.
    pub peak_ratio: f32,
}

impl ScreenEvidence {
    pub fn is_screen(&self) -> bool {
        self.peak_ratio >= SCREEN_THRESHOLD
    }
}

fn hann(i: usize) -> f32 {
    0.5 - 0.5 * (std::f32::consts::TAU * i as f32 / WINDOW as f32).cos()
}

/// 2-D FFT in place, rows then columns.
fn fft2(data: &mut [Complex<f32>], planner: &mut FftPlanner<f32>) {
    let fft = planner.plan_fft_forward(WINDOW);
    for row in data.chunks_exact_mut(WINDOW) {
        fft.process(row);
    }
    let mut column = vec![Complex::new(0.0, 0.0); WINDOW];
    for x in 0..WINDOW {
        for (y, slot) in column.iter_mut().enumerate() {
            *slot = data.get(y * WINDOW + x).copied().unwrap_or_default();
        }
        fft.process(&mut column);
        for (y, value) in column.iter().enumerate() {
            if let Some(slot) = data.get_mut(y * WINDOW + x) {
                *slot = *value;
            }
        }
    }
}

fn near_jpeg_grid(f: usize) -> bool {
    let r = f % JPEG_PERIOD_BINS;
    r <= 1 || r + 1 >= JPEG_PERIOD_BINS
}

/// The peak ratio of one window whose top-left corner is (`left`, `top`).
fn window_ratio(image: &RgbImage, left: u32, top: u32, planner: &mut FftPlanner<f32>) -> f32 {
    let mut spectrum = vec![0.0f32; WINDOW * WINDOW];
    for channel in [0usize, 2] {
        let mut data = Vec::with_capacity(WINDOW * WINDOW);
        for y in 0..WINDOW {
            for x in 0..WINDOW {
                let pixel = image
                    .get_pixel_checked(left + x as u32, top + y as u32)
                    .map_or([0; 3], |p| p.0);
                let value =
                    f32::from(pixel.get(channel).copied().unwrap_or(0)) - f32::from(pixel[1]);
                data.push(value);
            }
        }
        let mean = data.iter().sum::<f32>() / data.len() as f32;
        let mut complex: Vec<Complex<f32>> = data
            .iter()
            .enumerate()
            .map(|(i, v)| Complex::new((v - mean) * hann(i % WINDOW) * hann(i / WINDOW), 0.0))
            .collect();
        fft2(&mut complex, planner);
        for (slot, value) in spectrum.iter_mut().zip(&complex) {
            *slot += value.norm();
        }
    }
    // Only half the plane: a real signal's spectrum is symmetric.
    let mut rings: Vec<Vec<f32>> = vec![Vec::new(); WINDOW];
    let mut peaks: Vec<(usize, f32)> = Vec::new();
    for v in 0..WINDOW / 2 {
        for u in 0..WINDOW {
            let fu = u.min(WINDOW - u);
            let radius = ((fu * fu + v * v) as f32).sqrt().round() as usize;
            if !(MIN_RADIUS..WINDOW / 2).contains(&radius)
                || near_jpeg_grid(fu)
                || near_jpeg_grid(v)
            {
                continue;
            }
            let magnitude = spectrum.get(v * WINDOW + u).copied().unwrap_or(0.0);
            if let Some(ring) = rings.get_mut(radius) {
                ring.push(magnitude);
            }
            peaks.push((radius, magnitude));
        }
    }
    let medians: Vec<f32> = rings
        .iter_mut()
        .map(|ring| {
            ring.sort_by(f32::total_cmp);
            ring.get(ring.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    peaks
        .iter()
        .map(|&(radius, magnitude)| {
            let median = medians.get(radius).copied().unwrap_or(0.0).max(1e-3);
            magnitude / median
        })
        .fold(0.0, f32::max)
}

/// How strongly `image` shows a screen's grid, over five windows in its middle; a photo too
/// small for a window shows none.
pub fn screen_evidence(image: &RgbImage) -> ScreenEvidence {
    let (width, height) = image.dimensions();
    let side = WINDOW as u32;
    if width < side || height < side {
        return ScreenEvidence { peak_ratio: 0.0 };
    }
    let mut planner = FftPlanner::new();
    let (cx, cy) = (width / 2, height / 2);
    let (dx, dy) = (width / 6, height / 6);
    let mut ratios: Vec<f32> = [
        (cx, cy),
        (cx - dx, cy - dy),
        (cx + dx, cy - dy),
        (cx - dx, cy + dy),
        (cx + dx, cy + dy),
    ]
    .iter()
    .map(|&(x, y)| {
        let left = x.saturating_sub(side / 2).min(width - side);
        let top = y.saturating_sub(side / 2).min(height - side);
        window_ratio(image, left, top, &mut planner)
    })
    .collect();
    ratios.sort_by(f32::total_cmp);
    ScreenEvidence {
        peak_ratio: ratios.get(ratios.len() / 2).copied().unwrap_or(0.0),
    }
}
