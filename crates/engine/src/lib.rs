//! Image analysis for verifyd, as pure functions over bytes and images, usable without the
//! server. Today: inspection of uploads (is this really a JPEG/PNG/PDF, how large, intact?).
//! The document (MRZ, barcode, OCR, quality, forensics) and face (detection, embedding,
//! liveness) analysers join here.

pub mod documents;
pub mod ocr;
pub mod quality;
pub mod upload;
