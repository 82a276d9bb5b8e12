//! Time to read the MRZ of one photographed document, single-threaded ONNX Runtime, as the
//! server runs one job per core. Needs the models (scripts/fetch-models) and the OCR-B font
//! (scripts/setup-test-assets). Run: `cargo bench -p verifyd-engine --features synthetic`.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use image::DynamicImage;
use verifyd_engine::documents::mrz::{read_mrz, MrzFormat};
use verifyd_engine::documents::synthetic::{degrade, render, Degradation, OcrB};
use verifyd_engine::ocr::{models_dir, TextReader};

const REFERENCE_YEAR: u16 = 2025;
const DOCUMENTS: u32 = 20;
/// Photos as a phone takes them: a little perspective and rotation, JPEG.
fn photos(font: &OcrB) -> Result<Vec<DynamicImage>, Box<dyn std::error::Error>> {
    let mut photos = Vec::new();
    for index in 0..DOCUMENTS {
        let format = MrzFormat::ALL[index as usize % MrzFormat::ALL.len()];
        let document = render(font, format, 500 + index, REFERENCE_YEAR, 10.0);
        let mut image = document.image;
        for degradation in [
            Degradation::Perspective(0.04),
            Degradation::Rotate(2.0),
            Degradation::Jpeg(70),
        ] {
            image = degrade(&image, degradation, index)?;
        }
        photos.push(DynamicImage::ImageRgb8(image));
    }
    Ok(photos)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn setup() -> Result<(TextReader, Vec<DynamicImage>), Box<dyn std::error::Error>> {
    let dir = models_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    let reader = TextReader::load(&dir)?;
    let photos = photos(&OcrB::load()?)?;
    Ok((reader, photos))
}

fn bench(criterion: &mut Criterion) {
    let (reader, photos) = match setup() {
        Ok(setup) => setup,
        Err(error) => {
            eprintln!("cannot run the MRZ benchmark: {error}");
            std::process::exit(1);
        }
    };
    // One pass by hand for the median per document and how many were read.
    let mut times = Vec::new();
    let mut found = 0;
    for photo in &photos {
        let start = Instant::now();
        if let Ok(Some(reading)) = read_mrz(&reader, photo, REFERENCE_YEAR) {
            found += usize::from(reading.mrz.all_checks_pass());
        }
        times.push(start.elapsed());
    }
    eprintln!(
        "read_mrz: median {:?} per document over {} photos ({} with every check digit passing)",
        median(times),
        photos.len(),
        found
    );
    let mut group = criterion.benchmark_group("mrz");
    group.sample_size(10);
    let mut next = 0;
    group.bench_function("read_mrz one photo", |bencher| {
        bencher.iter(|| {
            next = (next + 1) % photos.len().max(1);
            photos
                .get(next)
                .map(|photo| read_mrz(&reader, photo, REFERENCE_YEAR).is_ok())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
