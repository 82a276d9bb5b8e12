//! The loaded models and what they are run for: finding lines, reading one, reading a page.

use std::path::{Path, PathBuf};

use image::{imageops, DynamicImage, RgbImage};
use ndarray::{Array4, ArrayViewD, Ix2, Ix4};
use ort::session::Session;
use ort::value::TensorRef;

use super::classify::{self, TURN_THRESHOLD};
use super::crop::crop;
use super::detect::{self, DetectOptions};
use super::mrz_decode::{self, MrzClasses};
use super::recognise::{self, Dictionary};
use super::{OcrError, Quad, TextBox, TextLine};
use crate::onnx::{self, ModelError, Pool, RUNTIME_LIBRARY};

/// The environment variable naming the model directory (see `scripts/fetch-models`).
pub const MODELS_DIR_VARIABLE: &str = "VERIFYD_MODELS_DIR";

const DETECTION_MODEL: &str = "ch_PP-OCRv4_det_infer.onnx";
const RECOGNITION_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";
const CLASSIFIER_MODEL: &str = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
/// Where the recogniser's model keeps its dictionary.
const DICTIONARY_KEY: &str = "character";

/// Which characters a line is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// Whatever the recogniser's dictionary holds.
    Any,
    /// The MRZ's A-Z, 0-9 and '<' (see `mrz_decode`).
    Mrz,
}

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
    recogniser: Pool,
    classifier: Option<Pool>,
    dictionary: Dictionary,
    mrz_classes: MrzClasses,
    options: ReaderOptions,
}

/// `VERIFYD_MODELS_DIR` when set, else `default`.
pub fn models_dir(default: impl Into<PathBuf>) -> PathBuf {
    std::env::var_os(MODELS_DIR_VARIABLE).map_or_else(|| default.into(), PathBuf::from)
}

fn dictionary(session: &Session, model: &Path) -> Result<Dictionary, OcrError> {
    let characters =
        session
            .metadata()?
            .custom(DICTIONARY_KEY)
            .ok_or_else(|| OcrError::NoDictionary {
                path: model.to_path_buf(),
            })?;
    Ok(Dictionary::from_metadata(&characters))
}

fn shape_error(model: &'static str, output: &ArrayViewD<'_, f32>) -> OcrError {
    OcrError::UnexpectedOutput {
        model,
        shape: output.shape().to_vec(),
    }
}

/// Runs `session` on `input` and hands its first output to `read`.
fn infer<R>(
    session: &mut Session,
    input: &Array4<f32>,
    read: impl FnOnce(ArrayViewD<'_, f32>) -> Result<R, OcrError>,
) -> Result<R, OcrError> {
    let outputs = session.run(ort::inputs![TensorRef::from_array_view(input)?])?;
    let output = outputs[0].try_extract_array::<f32>()?;
    read(output)
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
        let recognition_model = models_dir.join(RECOGNITION_MODEL);
        let recogniser = onnx::pool(
            &environment,
            &recognition_model,
            options.intra_op_threads,
            options.sessions,
        )?;
        let dictionary = recogniser.with(|session| dictionary(session, &recognition_model))?;
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
            classifier,
            mrz_classes: MrzClasses::new(&dictionary),
            dictionary,
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
        if image.width() == 0 || image.height() == 0 {
            return Ok(Vec::new());
        }
        let prepared = detect::prepare(image, self.options.detection_max_side)?;
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
        let scaled_width = ((stretch * recognise::HEIGHT as f32 * width as f32 / height as f32)
            .round() as u32)
            .max(1);
        let resized = if height == recognise::HEIGHT && scaled_width == width {
            line.clone()
        } else {
            imageops::resize(
                line,
                scaled_width,
                recognise::HEIGHT,
                imageops::FilterType::Triangle,
            )
        };
        let input = recognise::prepare(&resized)?;
        self.recogniser.with(|session| {
            infer(session, &input, |output| {
                let rows = output
                    .view()
                    .into_dimensionality::<ndarray::Ix3>()
                    .map_err(|_| shape_error("recognition", &output))?;
                let rows = rows.index_axis(ndarray::Axis(0), 0);
                let rows = rows
                    .into_dimensionality::<Ix2>()
                    .map_err(|_| shape_error("recognition", &output))?;
                if rows.ncols() != self.dictionary.len() {
                    return Err(shape_error("recognition", &output));
                }
                Ok(match alphabet {
                    Alphabet::Any => recognise::decode(rows, &self.dictionary),
                    Alphabet::Mrz => mrz_decode::decode(rows, &self.mrz_classes),
                })
            })
        })
    }

    /// The probability that `line` (upright as cut) is upside down; 0 without a classifier.
    fn upside_down(&self, line: &RgbImage) -> Result<f32, OcrError> {
        let Some(classifier) = &self.classifier else {
            return Ok(0.0);
        };
        let input = classify::prepare(line)?;
        classifier.with(|session| {
            infer(session, &input, |output| {
                let scores: Vec<f32> = output.iter().copied().collect();
                // The model ends in a softmax over (upright, upside down).
                match scores.as_slice() {
                    [_, turned] => Ok(*turned),
                    _ => Err(shape_error("classifier", &output)),
                }
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
        let Some(mut line) = crop(image, quad, recognise::HEIGHT) else {
            return Ok(None);
        };
        let mut quad = *quad;
        if self.upside_down(&line)? > TURN_THRESHOLD {
            imageops::rotate180_in_place(&mut line);
            quad = quad.turned();
        }
        self.read_crop(&line, quad, stretch, alphabet)
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

    fn read_boxes_rgb(
        &self,
        image: &RgbImage,
        boxes: &[TextBox],
    ) -> Result<Vec<TextLine>, OcrError> {
        let mut lines = Vec::new();
        for text_box in boxes {
            if let Some(line) = self.read_quad(image, &text_box.quad)? {
                if !line.text.is_empty() {
                    lines.push(line);
                }
            }
        }
        Ok(lines)
    }
}
