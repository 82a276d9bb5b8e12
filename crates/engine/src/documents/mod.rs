//! Reading identity documents: the machine-readable zone of travel documents, the PDF417
//! barcode of North American licences, the visual zone's captioned fields against the MRZ or barcode,
//! specimens, editing traces in metadata and photos of screens; and where on a photo or scan the
//! document lies.

pub mod barcode;
pub mod locate;
pub mod metadata;
pub mod mrz;
pub mod specimen;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
pub mod visual_zone;
