//! Reading identity documents. Today the machine-readable zone; the barcodes, the visual zone
//! and the forensic checks join here.

pub mod mrz;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
