use std::path::PathBuf;

/// Why text could not be read. Missing files name the script that installs them, since they
/// are never in the repository.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error(transparent)]
    Model(#[from] crate::onnx::ModelError),
    #[error("ONNX Runtime: {0}")]
    Onnx(#[from] ort::Error),
    #[error("the recogniser's character dictionary {path} cannot be read or is empty (run scripts/fetch-models)")]
    NoDictionary { path: PathBuf },
    #[error("cannot lay out the image as a tensor: {0}")]
    Tensor(#[from] ndarray::ShapeError),
    #[error("the {model} model returned {shape:?}, not the shape its pipeline expects")]
    UnexpectedOutput {
        model: &'static str,
        shape: Vec<usize>,
    },
}

impl From<ort::Error<ort::session::builder::SessionBuilder>> for OcrError {
    fn from(error: ort::Error<ort::session::builder::SessionBuilder>) -> Self {
        OcrError::Onnx(error.into())
    }
}
