//! What the accuracy benches share: the damage a phone photo does, drawn from a seed so runs
//! are identical, the JPEG files the readers are timed on, the one-thread OCR reader they
//! time, and the arithmetic and file of their reports.

// Each bench uses a part of it.
#![allow(dead_code)]

use std::error::Error;
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::RgbImage;
use verifyd_engine::documents::synthetic::{degrade, Degradation};
use verifyd_engine::ocr::{models_dir, ReaderOptions, TextReader};

pub type BenchResult<T> = Result<T, Box<dyn Error>>;

/// A small deterministic generator (xorshift32).
pub struct Rng(pub u32);

impl Rng {
    pub fn unit(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 as f32 / u32::MAX as f32
    }
    pub fn between(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }
}

/// What was done to a degraded photo.
#[derive(Debug, Clone, Copy)]
pub struct Damage {
    pub rotate: f32,
    pub perspective: f32,
    pub light: f32,
    pub blur: f32,
    pub noise: f32,
    pub jpeg: u8,
}

impl Damage {
    /// Rotated 1-8 degrees either way, a mild perspective, uneven light, blur of sigma
    /// 0.7-1.2, noise of 6-10 grey levels, JPEG quality 60-80.
    pub fn drawn(seed: u32) -> Damage {
        let mut rng = Rng(seed.wrapping_mul(2_654_435_761).max(1));
        let sign = if rng.unit() < 0.5 { -1.0 } else { 1.0 };
        Damage {
            rotate: sign * rng.between(1.0, 8.0),
            perspective: rng.between(0.0, 0.05),
            light: rng.between(0.15, 0.4),
            blur: rng.between(0.7, 1.2),
            noise: rng.between(6.0, 10.0),
            jpeg: rng.between(60.0, 80.0).round() as u8,
        }
    }

    /// Everything but the JPEG, which [`write_jpeg`] does.
    pub fn apply(&self, image: &RgbImage, seed: u32) -> BenchResult<RgbImage> {
        let mut image = image.clone();
        for degradation in [
            Degradation::Perspective(self.perspective),
            Degradation::Rotate(self.rotate),
            Degradation::UnevenLight(self.light),
            Degradation::Blur(self.blur),
            Degradation::Noise(self.noise),
        ] {
            image = degrade(&image, degradation, seed)?;
        }
        Ok(image)
    }
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rotate {:+.1}°, perspective {:.3}, light {:.2}, blur {:.2}, noise {:.1}, JPEG {}",
            self.rotate, self.perspective, self.light, self.blur, self.noise, self.jpeg
        )
    }
}

pub fn write_jpeg(image: &RgbImage, path: &Path, quality: u8) -> BenchResult<()> {
    let mut file = BufWriter::new(File::create(path)?);
    image.write_with_encoder(JpegEncoder::new_with_quality(&mut file, quality))?;
    file.flush()?;
    Ok(())
}

pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

pub fn share(right: usize, of: usize) -> f64 {
    if of == 0 {
        f64::NAN
    } else {
        right as f64 / of as f64
    }
}

pub fn percent(right: usize, of: usize) -> String {
    if of == 0 {
        "–".to_owned()
    } else {
        format!("{:.1}", 100.0 * share(right, of))
    }
}

/// The OCR models on one thread and one session: the time of one core.
pub fn one_thread_reader() -> BenchResult<TextReader> {
    let dir = models_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    let options = ReaderOptions {
        intra_op_threads: 1,
        sessions: 1,
        ..ReaderOptions::default()
    };
    Ok(TextReader::load_with(&dir, options)?)
}

/// Prints `report` and writes it to `target/{name}`.
pub fn publish(report: &str, name: &str) -> BenchResult<()> {
    println!("{report}");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    fs::create_dir_all(&target)?;
    let out = target.join(name);
    fs::write(&out, report)?;
    eprintln!("written to {}", out.display());
    Ok(())
}
