//! The loaded models and what they are run for: finding lines, reading one, reading a page.

use std::path::{Path, PathBuf};

use image::{imageops, DynamicImage, RgbImage};
use ndarray::{Ix2, Ix4};

use super::classify::{self, TURN_THRESHOLD};
use super::crop::crop;
use super::detect::{self, DetectOptions};
use super::inference::{infer, shape_error, Alphabet};
use super::recognise;
use super::recogniser::Recogniser;
use super::{OcrError, Quad, TextBox, TextLine};
use crate::onnx::{self, ModelError, Pool, RUNTIME_LIBRARY};

/// The environment variable naming the model directory (see `scripts/fetch-models`).
pub const MODELS_DIR_VARIABLE: &str = "VERIFYD_MODELS_DIR";

const DETECTION_MODEL: &str = "ch_PP-OCRv4_det_infer.onnx";
/// PP-OCRv6 tiny: on the real scans of `../shared/real-documents` it read more of them right
/// than PP-OCRv4's recogniser (17 of 20 against 15, the MRZ fallback included) at a quarter
/// of the time per line, and it has the accented Latin letters PP-OCRv4's lacks
/// (docs/real-documents.md).
const RECOGNITION_MODEL: &str = "PP-OCRv6_tiny_rec.onnx";
/// The recogniser's characters, one per line, as its package ships them beside the model.
const DICTIONARY_FILE: &str = "PP-OCRv6_tiny_dict.txt";
/// See [`TextReader`]'s `digits`.
const DIGITS_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";
const CLASSIFIER_MODEL: &str = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

/// See [`TextReader::count_lines`].
pub const LINE_COUNT_SIDE: u32 = 640;

/// How the models are run. The defaults suit a server that runs one job per core.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderOptions {
    /// ONNX Runtime's threads within one inference.
    pub intra_op_threads: usize,
    /// Sessions per model, so that this many threads can read at once.
    pub sessions: usize,
    /// The detector sees the photo shrunk to at most this many pixels on its longest side;
    /// lines are still read from the full-resolution photo.
    pub detection_max_side: u32,
    /// Pixels of the probability map above this are text.
    pub detection_threshold: f32,
    /// Boxes whose mean probability is below this are dropped.
    pub box_threshold: f32,
    /// How far a box grows from the text's kernel to the whole line (PaddleOCR's 1.6 is for
    /// mixed text; MRZ lines need a little more room for their first and last characters).
    pub unclip_ratio: f32,
    /// Whether to run the 0/180 classifier on each line; without it every line is read with
    /// its top towards the top (or, vertical, the left) of the photo.
    pub classify_orientation: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        Self {
            intra_op_threads: 1,
            sessions: 1,
            detection_max_side: 1280,
            detection_threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.8,
            classify_orientation: true,
        }
    }
}

/// The OCR models, loaded once and shared by every thread that reads.
pub struct TextReader {
    detector: Pool,
    recogniser: Recogniser,
    /// PP-OCRv4's recogniser, for the page's lines that hold digits: on the renders of the
    /// tests PP-OCRv6 tiny read the slashes of 11/23/2029 as ones and a 0 as Ó, which a
    /// date's comparison cannot use, where PP-OCRv4 reads them as printed.
    digits: Recogniser,
    classifier: Option<Pool>,
    options: ReaderOptions,
}

/// `VERIFYD_MODELS_DIR` when set, else `default`.
pub fn models_dir(default: impl Into<PathBuf>) -> PathBuf {
    std::env::var_os(MODELS_DIR_VARIABLE).map_or_else(|| default.into(), PathBuf::from)
}

impl TextReader {
    /// Loads the models and ONNX Runtime from `models_dir`, as `scripts/fetch-models` lays
    /// them out, with the default options.
    pub fn load(models_dir: &Path) -> Result<TextReader, OcrError> {
        Self::load_with(models_dir, ReaderOptions::default())
    }

    pub fn load_with(models_dir: &Path, options: ReaderOptions) -> Result<TextReader, OcrError> {
        let models = [
            DETECTION_MODEL,
            RECOGNITION_MODEL,
            DICTIONARY_FILE,
            DIGITS_MODEL,
            CLASSIFIER_MODEL,
            RUNTIME_LIBRARY,
        ];
        for file in models {
            let path = models_dir.join(file);
            if !path.is_file() {
                return Err(ModelError::Missing { path }.into());
            }
        }
        let environment = onnx::environment(&models_dir.join(RUNTIME_LIBRARY))?;
        let pool = |model: &str| {
            onnx::pool(
                &environment,
                &models_dir.join(model),
                options.intra_op_threads,
                options.sessions,
            )
        };
        let recogniser =
            Recogniser::with_file(pool(RECOGNITION_MODEL)?, &models_dir.join(DICTIONARY_FILE))?;
        let digits =
            Recogniser::with_metadata(pool(DIGITS_MODEL)?, &models_dir.join(DIGITS_MODEL))?;
        let classifier = if options.classify_orientation {
            Some(onnx::pool(
                &environment,
                &models_dir.join(CLASSIFIER_MODEL),
                options.intra_op_threads,
                options.sessions,
            )?)
        } else {
            None
        };
        Ok(TextReader {
            detector: onnx::pool(
                &environment,
                &models_dir.join(DETECTION_MODEL),
                options.intra_op_threads,
                options.sessions,
            )?,
            recogniser,
            digits,
            classifier,
            options,
        })
    }

    pub fn options(&self) -> &ReaderOptions {
        &self.options
    }

    /// The lines of text in `image`, in no particular order.
    pub fn detect(&self, image: &DynamicImage) -> Result<Vec<TextBox>, OcrError> {
        self.detect_rgb(&image.to_rgb8())
    }

    pub(crate) fn detect_rgb(&self, image: &RgbImage) -> Result<Vec<TextBox>, OcrError> {
        self.detect_within(image, self.options.detection_max_side)
    }

    /// As `detect_rgb`, the detector seeing `image` shrunk by `scale` (at most 1, at least
    /// [`MIN_DETECTION_SIDE`] pixels on its longest side): for print whose size is known to be
    /// larger than the detector needs.
    pub(crate) fn detect_rgb_scaled(
        &self,
        image: &RgbImage,
        scale: f32,
    ) -> Result<Vec<TextBox>, OcrError> {
        let longest = image.width().max(image.height()) as f32;
        let side = (longest * scale.clamp(0.0, 1.0)).round() as u32;
        self.detect_within(
            image,
            side.max(MIN_DETECTION_SIDE)
                .min(self.options.detection_max_side),
        )
    }

    /// How many lines of text `image` shows, the detector seeing it at most
    /// [`LINE_COUNT_SIDE`] pixels on its longest side: enough to tell a document held up to
    /// the camera (lines of print across the frame) from a selfie, at a quarter of the
    /// detection's cost at full size.
    pub fn count_lines(&self, image: &DynamicImage) -> Result<usize, OcrError> {
        Ok(self.detect_within(&image.to_rgb8(), LINE_COUNT_SIDE)?.len())
    }

    fn detect_within(&self, image: &RgbImage, max_side: u32) -> Result<Vec<TextBox>, OcrError> {
        if image.width() == 0 || image.height() == 0 {
            return Ok(Vec::new());
        }
        let prepared = detect::prepare(image, max_side)?;
        let options = DetectOptions {
            threshold: self.options.detection_threshold,
            box_threshold: self.options.box_threshold,
            unclip_ratio: self.options.unclip_ratio,
            min_size: 3.0,
        };
        self.detector.with(|session| {
            infer(session, &prepared.input, |output| {
                let map = output
                    .view()
                    .into_dimensionality::<Ix4>()
                    .map_err(|_| shape_error("detection", &output))?;
                let map = map.index_axis(ndarray::Axis(0), 0);
                let map = map.index_axis(ndarray::Axis(0), 0);
                Ok(detect::boxes(map, prepared.scale, &options))
            })
        })
    }

    /// Reads one upright line, cut out of a photo: any height, resized here to the
    /// recogniser's.
    pub fn recognise(&self, line: &RgbImage) -> Result<(String, f32), OcrError> {
        let (width, height) = line.dimensions();
        if width == 0 || height == 0 {
            return Ok((String::new(), 0.0));
        }
        self.recognise_stretched(line, 1.0, Alphabet::Any)
    }

    /// Reads `line` widened `stretch` times: the recogniser's columns are 8 pixels wide, and
    /// on long lines of narrow monospaced capitals (an MRZ) it merges neighbours unless each
    /// character spans more of them.
    pub(crate) fn recognise_stretched(
        &self,
        line: &RgbImage,
        stretch: f32,
        alphabet: Alphabet,
    ) -> Result<(String, f32), OcrError> {
        let (width, height) = line.dimensions();
        if width == 0 || height == 0 {
            return Ok((String::new(), 0.0));
        }
        let resized = at_recognition_height(line, stretch);
        let mut read = self.recogniser.read(&[&resized], alphabet)?;
        Ok(read.pop().unwrap_or_default())
    }

    /// The probability that each of `lines` (upright as cut) is upside down; 0 without a
    /// classifier.
    fn upside_down(&self, lines: &[&RgbImage]) -> Result<Vec<f32>, OcrError> {
        let Some(classifier) = &self.classifier else {
            return Ok(vec![0.0; lines.len()]);
        };
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let input = classify::prepare(lines)?;
        classifier.with(|session| {
            infer(session, &input, |output| {
                // The model ends in a softmax over (upright, upside down) per line.
                let scores = output
                    .view()
                    .into_dimensionality::<Ix2>()
                    .map_err(|_| shape_error("classifier", &output))?;
                if scores.shape() != [lines.len(), 2] {
                    return Err(shape_error("classifier", &output));
                }
                Ok(scores.outer_iter().map(|row| row[1]).collect())
            })
        })
    }

    /// Reads the line in `quad` of `image`, turned the right way up by the classifier.
    pub fn read_quad(&self, image: &RgbImage, quad: &Quad) -> Result<Option<TextLine>, OcrError> {
        self.read_quad_stretched(image, quad, 1.0, Alphabet::Any)
    }

    /// [`Self::read_quad`], the line widened (see [`Self::recognise_stretched`]).
    pub(crate) fn read_quad_stretched(
        &self,
        image: &RgbImage,
        quad: &Quad,
        stretch: f32,
        alphabet: Alphabet,
    ) -> Result<Option<TextLine>, OcrError> {
        match self.upright_crop(image, quad)? {
            Some((line, quad)) => self.read_crop(&line, quad, stretch, alphabet),
            None => Ok(None),
        }
    }

    /// The line in `quad` of `image` cut out at the recogniser's height and turned the right
    /// way up by the classifier, with its quad turned alike.
    fn upright_crop(
        &self,
        image: &RgbImage,
        quad: &Quad,
    ) -> Result<Option<(RgbImage, Quad)>, OcrError> {
        let Some(mut line) = crop(image, quad, recognise::HEIGHT) else {
            return Ok(None);
        };
        let mut quad = *quad;
        let turned = self.upside_down(&[&line])?;
        if turned
            .first()
            .is_some_and(|turned| *turned > TURN_THRESHOLD)
        {
            imageops::rotate180_in_place(&mut line);
            quad = quad.turned();
        }
        Ok(Some((line, quad)))
    }

    /// Reads the line in `quad` of `image` the way up `quad` says, without the classifier,
    /// widened `stretch` times (1 for ordinary text).
    pub fn read_upright(
        &self,
        image: &RgbImage,
        quad: &Quad,
        stretch: f32,
    ) -> Result<Option<TextLine>, OcrError> {
        self.read_upright_as(image, quad, stretch, Alphabet::Any)
    }

    pub(crate) fn read_upright_as(
        &self,
        image: &RgbImage,
        quad: &Quad,
        stretch: f32,
        alphabet: Alphabet,
    ) -> Result<Option<TextLine>, OcrError> {
        match crop(image, quad, recognise::HEIGHT) {
            Some(line) => self.read_crop(&line, *quad, stretch, alphabet),
            None => Ok(None),
        }
    }

    fn read_crop(
        &self,
        line: &RgbImage,
        quad: Quad,
        stretch: f32,
        alphabet: Alphabet,
    ) -> Result<Option<TextLine>, OcrError> {
        let (text, confidence) = self.recognise_stretched(line, stretch, alphabet)?;
        Ok(Some(TextLine {
            text,
            confidence,
            quad,
        }))
    }

    /// Every line of text in `image`, read.
    pub fn read_lines(&self, image: &DynamicImage) -> Result<Vec<TextLine>, OcrError> {
        let image = image.to_rgb8();
        let boxes = self.detect_rgb(&image)?;
        self.read_boxes_rgb(&image, &boxes)
    }

    /// The lines in `boxes`, detected on `image` before: the detection is the larger part of
    /// a page's reading, and the MRZ's fallback has often run it already.
    pub fn read_boxes(
        &self,
        image: &DynamicImage,
        boxes: &[TextBox],
    ) -> Result<Vec<TextLine>, OcrError> {
        self.read_boxes_rgb(&image.to_rgb8(), boxes)
    }

    /// One line at a time: batches of lines padded to their widest (PaddleOCR reads 6 at once)
    /// measured slower on one core, 891 against 726 ms for the 29 lines of a real ID card scan
    /// and 605 against 497 ms for the 21 of a passport page, since the recogniser's cost grows
    /// with the padded width. A line that may hold a date, a number or a caption (see
    /// [`worth_rereading`]) is read again by `digits`, whose reading is kept unless it lost more
    /// than half of the letters and digits: on a photographed colour copy PP-OCRv4 read dates
    /// that PP-OCRv6 tiny read as printed (05032017, 12 12.1982) as a dot or two, a failed
    /// reading rather than a better one; where it reads a slash that v6 tiny read as a one
    /// (11/23/2029 for 1112312029) or a letter v6 tiny read as a digit (DOB for D0B), it keeps
    /// most of them.
    fn read_boxes_rgb(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
    ) -> Result<Vec<TextLine>, OcrError> {
        let mut lines = Vec::new();
        for text_box in boxes {
            let Some((line, quad)) = self.upright_crop(image, &text_box.quad)? else {
                continue;
            };
            let mut read = self.recogniser.read(&[&line], Alphabet::Any)?.pop();
            if let Some((first, _)) = read.as_ref().filter(|(text, _)| worth_rereading(text)) {
                let marks = alphanumerics(first);
                let again = self.digits.read(&[&line], Alphabet::Any)?.pop();
                if again
                    .as_ref()
                    .is_some_and(|(text, _)| 2 * alphanumerics(text) >= marks)
                {
                    read = again;
                }
            }
            if let Some((text, confidence)) = read.filter(|(text, _)| !text.is_empty()) {
                lines.push(TextLine {
                    text,
                    confidence,
                    quad,
                });
            }
        }
        Ok(lines)
    }
}

/// `line` resized to the recogniser's height, widened `stretch` times.
fn at_recognition_height(line: &RgbImage, stretch: f32) -> RgbImage {
    let (width, height) = line.dimensions();
    let scaled_width =
        ((stretch * recognise::HEIGHT as f32 * width as f32 / height as f32).round() as u32).max(1);
    if height == recognise::HEIGHT && scaled_width == width {
        line.clone()
    } else {
        imageops::resize(
            line,
            scaled_width,
            recognise::HEIGHT,
            imageops::FilterType::Triangle,
        )
    }
}

/// Whether `digits` may read `text`'s line better. The printed fields the visual zone
/// compares that hold digits are dates and document numbers: a date has at least four digits
/// however it is printed (4 FEB 1990, 04.02.90), and one of them may come out as a letter
/// (2Ó29), so three. A caption is short, and v6 tiny reads its letters as digits (D0B for DOB),
/// so a short line with any digit. What is left, long lines with a digit or two, are names,
/// addresses and the noise of a guilloche, which `digits` reads no better at 20 to 50 ms a
/// line (its cost grows with the line's width): on a photographed colour copy of a real ID
/// card (`../shared/real-documents`, LVA) they were half its 21 re-readings.
fn worth_rereading(text: &str) -> bool {
    let digits = digits(text);
    digits >= 3 || (digits > 0 && text.chars().count() <= SHORT_LINE)
}

/// See [`worth_rereading`]: the longest caption the visual zone looks for (`DATE OF BIRTH`).
const SHORT_LINE: usize = 13;

/// The smallest input [`TextReader::detect_rgb_scaled`] gives the detector.
const MIN_DETECTION_SIDE: u32 = 320;

fn digits(text: &str) -> usize {
    text.chars().filter(|c| c.is_ascii_digit()).count()
}

/// How many letters and digits `text` holds: what a failed reading loses.
fn alphanumerics(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}
