//! The spectrum of a few windows of a photo: what the screen and copy checks both read.
//! A grid that prints or lights the picture (a screen's stripes, a copier's halftone dots)
//! shows as a few frequencies far stronger than others as fine; paper and ink as photographed
//! have a smooth spectrum.

use image::RgbImage;
use rustfft::num_complex::Complex;
use rustfft::FftPlanner;

/// The window's side, in pixels; a power of two for the FFT.
pub(super) const WINDOW: usize = 256;
/// Frequencies of fewer cycles per window are the document's layout and the light.
const MIN_RADIUS: usize = 8;
/// JPEG codes colour in blocks of 16 pixels (8, subsampled), whose edges are a grid of their
/// own: frequencies within a bin of its multiples are not looked at.
const JPEG_PERIOD_BINS: usize = WINDOW / 16;

/// One frequency of a window's colour spectrum, in cycles per window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Peak {
    /// Horizontal and vertical frequency (`u` signed, `v` >= 0: half the plane, as a real
    /// signal's spectrum is symmetric).
    pub u: f32,
    pub v: f32,
    /// Its strength against the median of its ring (frequencies as fine).
    pub ratio: f32,
}

impl Peak {
    pub fn radius(&self) -> f32 {
        self.u.hypot(self.v)
    }

    /// The direction of the pattern's stripes' normal, in degrees, 0 to 180.
    pub fn angle(&self) -> f32 {
        self.v.atan2(self.u).to_degrees().rem_euclid(180.0)
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

/// What of the photo's pixels a spectrum is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signal {
    /// R-G and B-G, their spectra's magnitudes summed: a screen's stripes are colours.
    Colour,
    /// Brightness: JPEG keeps it at full resolution where it halves the colour's, so dots
    /// finer than four pixels survive only there.
    Luma,
}

/// The values of `signal` over the window whose top-left corner is (`left`, `top`).
fn values(image: &RgbImage, left: u32, top: u32, signal: Signal) -> Vec<Vec<f32>> {
    let pixel = |x: usize, y: usize| {
        image
            .get_pixel_checked(left + x as u32, top + y as u32)
            .map_or([0.0; 3], |p| p.0.map(f32::from))
    };
    let of = |f: &dyn Fn([f32; 3]) -> f32| -> Vec<f32> {
        (0..WINDOW * WINDOW)
            .map(|i| f(pixel(i % WINDOW, i / WINDOW)))
            .collect()
    };
    match signal {
        Signal::Colour => vec![of(&|[r, g, _]| r - g), of(&|[_, g, b]| b - g)],
        Signal::Luma => vec![of(&|[r, g, b]| 0.299 * r + 0.587 * g + 0.114 * b)],
    }
}

/// Every frequency of `signal` in the window whose top-left corner is (`left`, `top`),
/// against its ring's median; the layout's and JPEG's frequencies left out.
pub(super) fn peaks(
    image: &RgbImage,
    left: u32,
    top: u32,
    signal: Signal,
    planner: &mut FftPlanner<f32>,
) -> Vec<Peak> {
    let mut spectrum = vec![0.0f32; WINDOW * WINDOW];
    for data in values(image, left, top, signal) {
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
    let mut rings: Vec<Vec<f32>> = vec![Vec::new(); WINDOW];
    let mut bins: Vec<(usize, f32, f32, f32)> = Vec::new();
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
            let signed_u = if u > WINDOW / 2 {
                u as f32 - WINDOW as f32
            } else {
                u as f32
            };
            bins.push((radius, signed_u, v as f32, magnitude));
        }
    }
    let medians: Vec<f32> = rings
        .iter_mut()
        .map(|ring| {
            ring.sort_by(f32::total_cmp);
            ring.get(ring.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    bins.iter()
        .map(|&(radius, u, v, magnitude)| Peak {
            u,
            v,
            ratio: magnitude / medians.get(radius).copied().unwrap_or(0.0).max(1e-3),
        })
        .collect()
}

/// The peaks of `signal` in five windows over the middle of `image`, where the document is;
/// none when the photo is too small for a window.
pub(super) fn window_peaks(image: &RgbImage, signal: Signal) -> Vec<Vec<Peak>> {
    let (width, height) = image.dimensions();
    let side = WINDOW as u32;
    if width < side || height < side {
        return Vec::new();
    }
    let mut planner = FftPlanner::new();
    let (cx, cy) = (width / 2, height / 2);
    let (dx, dy) = (width / 6, height / 6);
    [
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
        peaks(image, left, top, signal, &mut planner)
    })
    .collect()
}

/// The median over `windows` of `measure`; 0 without windows.
pub(super) fn median_over(windows: &[Vec<Peak>], measure: impl Fn(&[Peak]) -> f32) -> f32 {
    let mut measured: Vec<f32> = windows.iter().map(|peaks| measure(peaks)).collect();
    measured.sort_by(f32::total_cmp);
    measured.get(measured.len() / 2).copied().unwrap_or(0.0)
}

/// The strongest of `peaks`, against its ring's median; 0 without peaks.
pub(super) fn strongest(peaks: &[Peak]) -> f32 {
    peaks.iter().map(|peak| peak.ratio).fold(0.0, f32::max)
}
