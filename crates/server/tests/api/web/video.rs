//! Videos for Chromium's fake camera (`--use-file-for-fake-video-capture`): YUV4MPEG2, 4:2:0,
//! which Chromium plays in real time from its first frame each time the page opens the camera,
//! and loops.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};

pub const FPS: u32 = 5;

/// `image` scaled to fit `width` x `height` (at most `fill` of each side), centred on a
/// dark grey table.
pub fn on_table(image: &RgbImage, width: u32, height: u32, fill: f32) -> RgbImage {
    let scale = (width as f32 * fill / image.width() as f32)
        .min(height as f32 * fill / image.height() as f32);
    let w = ((image.width() as f32 * scale) as u32).max(1);
    let h = ((image.height() as f32 * scale) as u32).max(1);
    let scaled = imageops::resize(image, w, h, FilterType::Triangle);
    let mut frame = RgbImage::from_pixel(width, height, Rgb([58, 62, 68]));
    imageops::overlay(
        &mut frame,
        &scaled,
        i64::from((width - w) / 2),
        i64::from((height - h) / 2),
    );
    frame
}

/// Writes `segments` (a frame and how many seconds it is shown) as one video; all frames must
/// have the same size.
pub fn write_y4m(path: &Path, segments: &[(&RgbImage, f32)]) -> Result<()> {
    let Some((first, _)) = segments.first() else {
        anyhow::bail!("a video needs a frame");
    };
    let (width, height) = first.dimensions();
    anyhow::ensure!(width % 2 == 0 && height % 2 == 0, "4:2:0 needs even sides");
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg"
    )?;
    for (frame, seconds) in segments {
        anyhow::ensure!(
            frame.dimensions() == (width, height),
            "frames differ in size"
        );
        let planes = i420(frame);
        for _ in 0..((seconds * FPS as f32).round() as u32).max(1) {
            out.write_all(b"FRAME\n")?;
            out.write_all(&planes)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// BT.601 in video range (Y 16-235, U and V 16-240, as Chromium reads the file), U and V
/// averaged over 2x2 blocks. Full range would be stretched on playback and clip white paper.
fn i420(image: &RgbImage) -> Vec<u8> {
    let (width, height) = image.dimensions();
    let mut y = Vec::with_capacity((width * height * 3 / 2) as usize);
    for pixel in image.pixels() {
        let [r, g, b] = pixel.0.map(f32::from);
        let luma = 0.299 * r + 0.587 * g + 0.114 * b;
        y.push((16.0 + luma * 219.0 / 255.0).round().clamp(0.0, 255.0) as u8);
    }
    let mut u = Vec::new();
    let mut v = Vec::new();
    for by in (0..height).step_by(2) {
        for bx in (0..width).step_by(2) {
            let mut sum = [0.0f32; 3];
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let p = image.get_pixel(bx + dx, by + dy).0;
                for c in 0..3 {
                    sum[c] += f32::from(p[c]) / 4.0;
                }
            }
            let [r, g, b] = sum;
            let chroma = 224.0 / 255.0;
            u.push((128.0 + chroma * (-0.168_736 * r - 0.331_264 * g + 0.5 * b)).round() as u8);
            v.push((128.0 + chroma * (0.5 * r - 0.418_688 * g - 0.081_312 * b)).round() as u8);
        }
    }
    y.extend(u);
    y.extend(v);
    y
}
