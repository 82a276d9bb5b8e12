//! Inspection of uploaded files before anything is stored. Everything is judged by content,
//! never by file name or declared content type, and the cheap checks (magic bytes, header
//! dimensions) run before the expensive one (a full decode that finds truncation and damage).

mod file_end;
#[cfg(any(test, feature = "synthetic"))]
pub mod hostile;
mod image_file;
mod pdf_file;
mod pdf_pages;

pub use image_file::{decode_image, inspect_image, ImageFormat, ImageInfo, ImageLimits};
pub use pdf_file::{inspect_pdf, PdfInfo};
pub use pdf_pages::{pdf_pages, PageImage, PdfPageContent, PdfPagesError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a JPEG or PNG image")]
    NotAnImage,
    #[error("the file is not a PDF document")]
    NotAPdf,
    #[error("the image is {width}x{height}; at most {max}x{max} is accepted")]
    TooLarge { width: u32, height: u32, max: u32 },
    #[error("the image is {width}x{height}; its longest side must be over {min} pixels")]
    TooSmall { width: u32, height: u32, min: u32 },
    #[error("the file is damaged or truncated: {0}")]
    Corrupt(String),
}
