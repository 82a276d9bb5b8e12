//! Image analysis for verifyd, as pure functions over bytes and images, usable without the
//! server: inspection of uploads, documents (MRZ, barcode, OCR, quality, forensics) and faces
//! (detection, embedding, comparison, liveness).

pub mod documents;
pub mod faces;
pub mod forensics;
pub mod ocr;
pub mod onnx;
pub mod quality;
mod resample;
pub mod upload;
