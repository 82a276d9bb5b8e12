//! Reading identity documents. Today the machine-readable zone of travel documents, the PDF417
//! barcode of North American licences, specimens and editing traces in metadata; the visual zone
//! and the remaining forensic checks join here.

pub mod barcode;
pub mod forensics;
pub mod metadata;
pub mod mrz;
pub mod specimen;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
pub mod visual_zone;
#[cfg(test)]
mod visual_zone_tests;
