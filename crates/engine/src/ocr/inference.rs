//! Running one of the OCR models on a prepared tensor, and what its output is decoded into:
//! shared by the reader and each recogniser.

use ndarray::{Array4, ArrayViewD};
use ort::session::Session;
use ort::value::TensorRef;

use super::OcrError;

/// Which characters a line is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// Whatever the recogniser's dictionary holds.
    Any,
    /// The MRZ's A-Z, 0-9 and '<' (see `mrz_decode`).
    Mrz,
}

pub(super) fn shape_error(model: &'static str, output: &ArrayViewD<'_, f32>) -> OcrError {
    OcrError::UnexpectedOutput {
        model,
        shape: output.shape().to_vec(),
    }
}

/// Runs `session` on `input` and hands its first output to `read`.
pub(super) fn infer<R>(
    session: &mut Session,
    input: &Array4<f32>,
    read: impl FnOnce(ArrayViewD<'_, f32>) -> Result<R, OcrError>,
) -> Result<R, OcrError> {
    let outputs = session.run(ort::inputs![TensorRef::from_array_view(input)?])?;
    let output = outputs[0].try_extract_array::<f32>()?;
    read(output)
}
