//! Finding and decoding the PDF417 symbol, with rxing, on a bounded number of versions of the
//! photo (see `prepare`), cheapest and likeliest first, until one decodes or the time budget
//! is spent.
//!
//! No version is turned by right angles: rxing's PDF417 detector already tries the four
//! orientations of the binarized image, which the tests check.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage};
use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::pdf417::PDF417Reader;
use rxing::{BinaryBitmap, DecodeHints, Luma8Source, Reader};

use super::prepare::{grayscale, halved, rotated, sharpened, stretched};
use super::skew::tilt_correction;

/// A PDF417 symbol is at least 4 modules tall and 90 wide: below this nothing can be found.
const MIN_SIDE: u32 = 16;

/// How hard [`decode_pdf417_with`] tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Larger photos are shrunk to this longer side first: the decoder's work grows with the
    /// pixels, and a licence's symbol keeps 2 to 4 pixels a module at 2000 pixels a card.
    pub max_side: u32,
    /// No new attempt starts after this. A bound for slow machines and unlucky images, not the
    /// usual cost: in a release build on 2 cores, all attempts on a photo without a symbol take
    /// 0.1 to 0.15 s, a tilted photo decodes in 0.16 s, a straight one in 3 ms (the ignored
    /// `decode_time` test prints these); a debug build is 10 to 20 times slower. One attempt
    /// that starts within the budget may end after it.
    pub time_budget: Duration,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            max_side: 2000,
            time_budget: Duration::from_secs(3),
        }
    }
}

/// The versions of the photo tried, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// With rxing's local-threshold binarizer, good for uneven light.
    Hybrid,
    /// Turned square, when the photo is tilted by more than a degree (see `skew`).
    Squared,
    /// With one threshold for the whole image, better for blurred, low-contrast prints.
    Global,
    /// Through an unsharp mask, for photos out of focus by more than half a module.
    Sharpened,
    Stretched,
    Halved,
}

/// Decoding is cheap next to preparing a version (tens of milliseconds for a phone photo), so
/// the two binarizations of the photo as it is come first.
const ATTEMPTS: [Attempt; 6] = [
    Attempt::Hybrid,
    Attempt::Global,
    Attempt::Squared,
    Attempt::Sharpened,
    Attempt::Stretched,
    Attempt::Halved,
];

/// Below this the tilt is within what rxing reads anyway.
const MIN_CORRECTION_DEGREES: f32 = 1.0;

/// The text of the PDF417 symbol in `image`, with [`DecodeOptions::default`].
pub fn decode_pdf417(image: &DynamicImage) -> Option<String> {
    decode_pdf417_with(image, &DecodeOptions::default())
}

/// The text of the PDF417 symbol in `image`, or `None` if none could be decoded.
///
/// Each byte of the symbol is one character of the text (ISO 8859-1), control characters
/// included, as [`super::parse_aamva`] expects.
pub fn decode_pdf417_with(image: &DynamicImage, options: &DecodeOptions) -> Option<String> {
    let started = Instant::now();
    if image.width() < MIN_SIDE || image.height() < MIN_SIDE {
        return None;
    }
    let gray = grayscale(image, options.max_side.max(MIN_SIDE));
    ATTEMPTS
        .iter()
        .take_while(|_| started.elapsed() < options.time_budget)
        .find_map(|attempt| match *attempt {
            Attempt::Hybrid => read(&gray, Binarizer::Hybrid),
            Attempt::Squared => tilt_correction(&gray)
                .filter(|degrees| degrees.abs() >= MIN_CORRECTION_DEGREES)
                .and_then(|degrees| read(&rotated(&gray, degrees, 255), Binarizer::Hybrid)),
            Attempt::Global => read(&gray, Binarizer::Global),
            Attempt::Sharpened => read(&sharpened(&gray), Binarizer::Hybrid),
            Attempt::Stretched => read(&stretched(&gray), Binarizer::Global),
            Attempt::Halved => read(&halved(&gray), Binarizer::Hybrid),
        })
}

/// The text of the PDF417 symbol in `image` if the first of the attempts decodes it.
pub fn decode_pdf417_first_try(image: &DynamicImage) -> Option<String> {
    if image.width() < MIN_SIDE || image.height() < MIN_SIDE {
        return None;
    }
    let gray = grayscale(image, DecodeOptions::default().max_side);
    read(&gray, Binarizer::Hybrid)
}

#[derive(Debug, Clone, Copy)]
enum Binarizer {
    Hybrid,
    Global,
}

/// One decoding. rxing is a port of a large Java library and indexes arrays with values read
/// from the image; a bug there must cost one attempt, not the caller's thread, so a panic is
/// caught and counts as nothing found.
fn read(image: &GrayImage, binarizer: Binarizer) -> Option<String> {
    let (width, height) = image.dimensions();
    let hints = DecodeHints {
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let source = Luma8Source::new_with_slice(image.as_raw(), width, height).ok()?;
        let mut reader = PDF417Reader::new();
        let result = match binarizer {
            Binarizer::Hybrid => reader
                .decode_with_hints(&mut BinaryBitmap::new(HybridBinarizer::new(source)), &hints),
            Binarizer::Global => reader.decode_with_hints(
                &mut BinaryBitmap::new(GlobalHistogramBinarizer::new(source)),
                &hints,
            ),
        };
        result.ok().map(|result| result.getText().to_owned())
    }));
    outcome.ok().flatten().filter(|text| !text.is_empty())
}
