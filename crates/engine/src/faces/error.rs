use crate::onnx::ModelError;

/// Why faces could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("ONNX Runtime: {0}")]
    Onnx(#[from] ort::Error),
    #[error("cannot lay out the image as a tensor: {0}")]
    Tensor(#[from] ndarray::ShapeError),
    #[error("the {model} model returned {shape:?}, not the shape its pipeline expects")]
    UnexpectedOutput {
        model: &'static str,
        shape: Vec<usize>,
    },
    #[error("the {model} model has no output {name}")]
    MissingOutput { model: &'static str, name: String },
}
