//! Reading identity documents. Today the machine-readable zone of travel documents and the
//! PDF417 barcode of North American licences; the visual zone and the forensic checks join here.

pub mod barcode;
pub mod mrz;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
