//! One recognition model with the characters its classes stand for.

use std::path::Path;

use image::RgbImage;
use ort::session::Session;

use super::inference::{infer, shape_error, Alphabet};
use super::mrz_decode::{self, MrzClasses};
use super::recognise::{self, Dictionary};
use super::OcrError;
use crate::onnx::Pool;

/// Where PP-OCRv4's model keeps its dictionary.
const METADATA_KEY: &str = "character";

pub(super) struct Recogniser {
    pool: Pool,
    dictionary: Dictionary,
    mrz_classes: MrzClasses,
}

impl Recogniser {
    /// With the dictionary a file beside the model (one character per line).
    pub fn with_file(pool: Pool, path: &Path) -> Result<Self, OcrError> {
        let missing = || OcrError::NoDictionary {
            path: path.to_path_buf(),
        };
        let text = std::fs::read_to_string(path).map_err(|_| missing())?;
        let characters: Vec<&str> = text.lines().collect();
        if characters.is_empty() {
            return Err(missing());
        }
        Ok(Self::new(pool, Dictionary::from_lines(&characters)))
    }

    /// With the dictionary in the model's own metadata.
    pub fn with_metadata(pool: Pool, model: &Path) -> Result<Self, OcrError> {
        let characters = pool.with(|session: &mut Session| {
            session
                .metadata()
                .map(|metadata| metadata.custom(METADATA_KEY))
        })?;
        let characters = characters.ok_or_else(|| OcrError::NoDictionary {
            path: model.to_path_buf(),
        })?;
        let lines: Vec<&str> = characters.split('\n').collect();
        Ok(Self::new(pool, Dictionary::from_lines(&lines)))
    }

    fn new(pool: Pool, dictionary: Dictionary) -> Self {
        Self {
            pool,
            mrz_classes: MrzClasses::new(&dictionary),
            dictionary,
        }
    }

    /// Reads `lines`, each already at the recogniser's height, in one run.
    pub fn read(
        &self,
        lines: &[&RgbImage],
        alphabet: Alphabet,
    ) -> Result<Vec<(String, f32)>, OcrError> {
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let input = recognise::prepare(lines)?;
        self.pool.with(|session| {
            infer(session, &input, |output| {
                let batch = output
                    .view()
                    .into_dimensionality::<ndarray::Ix3>()
                    .map_err(|_| shape_error("recognition", &output))?;
                if batch.len_of(ndarray::Axis(0)) != lines.len()
                    || batch.len_of(ndarray::Axis(2)) != self.dictionary.len()
                {
                    return Err(shape_error("recognition", &output));
                }
                Ok(batch
                    .outer_iter()
                    .map(|rows| match alphabet {
                        Alphabet::Any => recognise::decode(rows, &self.dictionary),
                        Alphabet::Mrz => mrz_decode::decode(rows, &self.mrz_classes),
                    })
                    .collect())
            })
        })
    }
}
