//! The two face models, loaded once and run from any thread.

use std::path::Path;

use image::RgbImage;
use ndarray::ArrayViewD;
use ort::session::Session;
use ort::value::TensorRef;

use super::align::align;
use super::detect::{self, DetectOptions, Face, Grids};
use super::embed::{self, Embedding, EMBEDDING_LENGTH};
use super::FaceError;
use crate::onnx::{self, ModelError, Pool, RUNTIME_LIBRARY};

/// OpenCV Zoo's YuNet, its block-quantised weights folded to fp32 by `scripts/fetch-models`.
pub const DETECTION_MODEL: &str = "face_detection_yunet_2023mar.onnx";
/// OpenCV Zoo's SFace, folded alike.
pub const EMBEDDING_MODEL: &str = "face_recognition_sface_2021dec.onnx";
/// Names the embedding space: templates made by another model cannot be compared.
pub const EMBEDDING_MODEL_ID: &str = "sface-2021dec";

/// How the models are run; the defaults suit a server that runs one job per core.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceOptions {
    /// ONNX Runtime's threads within one inference.
    pub intra_op_threads: usize,
    /// Sessions per model, so that this many threads can run at once.
    pub sessions: usize,
    pub detect: DetectOptions,
}

impl Default for FaceOptions {
    fn default() -> Self {
        Self {
            intra_op_threads: 1,
            sessions: 1,
            detect: DetectOptions::default(),
        }
    }
}

pub struct FaceEngine {
    detector: Pool,
    embedder: Pool,
    options: FaceOptions,
}

impl FaceEngine {
    /// Loads the models and ONNX Runtime from `models_dir`, as `scripts/fetch-models` lays
    /// them out.
    pub fn load(models_dir: &Path) -> Result<FaceEngine, FaceError> {
        Self::load_with(models_dir, FaceOptions::default())
    }

    pub fn load_with(models_dir: &Path, options: FaceOptions) -> Result<FaceEngine, FaceError> {
        for file in [DETECTION_MODEL, EMBEDDING_MODEL, RUNTIME_LIBRARY] {
            let path = models_dir.join(file);
            if !path.is_file() {
                return Err(ModelError::Missing { path }.into());
            }
        }
        let environment = onnx::environment(&models_dir.join(RUNTIME_LIBRARY))?;
        Ok(FaceEngine {
            detector: onnx::pool(
                &environment,
                &models_dir.join(DETECTION_MODEL),
                options.intra_op_threads,
                options.sessions,
            )?,
            embedder: onnx::pool(
                &environment,
                &models_dir.join(EMBEDDING_MODEL),
                options.intra_op_threads,
                options.sessions,
            )?,
            options,
        })
    }

    /// The faces on `image`, best first.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, FaceError> {
        let prepared = detect::prepare(image)?;
        let names = detect::output_names();
        self.detector.with(|session: &mut Session| {
            let outputs =
                session.run(ort::inputs![TensorRef::from_array_view(&prepared.input)?])?;
            let view = |name: &String| -> Result<ArrayViewD<'_, f32>, FaceError> {
                let value = outputs
                    .get(name.as_str())
                    .ok_or_else(|| FaceError::MissingOutput {
                        model: "face detection",
                        name: name.clone(),
                    })?;
                Ok(value.try_extract_array::<f32>()?)
            };
            let level = |names: &[String; 4]| -> Result<[ArrayViewD<'_, f32>; 4], FaceError> {
                Ok([
                    view(&names[0])?,
                    view(&names[1])?,
                    view(&names[2])?,
                    view(&names[3])?,
                ])
            };
            let grids = Grids {
                levels: [level(&names[0])?, level(&names[1])?, level(&names[2])?],
            };
            Ok(detect::decode(&grids, prepared.scale, &self.options.detect))
        })
    }

    /// The embedding of `face` on `image`; None when its landmarks cannot be aligned.
    pub fn embed(&self, image: &RgbImage, face: &Face) -> Result<Option<Embedding>, FaceError> {
        let Some(aligned) = align(image, &face.landmarks) else {
            return Ok(None);
        };
        let input = embed::prepare(&aligned)?;
        self.embedder.with(|session: &mut Session| {
            let outputs = session.run(ort::inputs![TensorRef::from_array_view(&input)?])?;
            let output = outputs[0].try_extract_array::<f32>()?;
            let Some(raw) = output
                .as_slice()
                .filter(|raw| raw.len() == EMBEDDING_LENGTH)
            else {
                return Err(FaceError::UnexpectedOutput {
                    model: "face embedding",
                    shape: output.shape().to_vec(),
                });
            };
            Ok(Embedding::normalised(raw))
        })
    }
}
