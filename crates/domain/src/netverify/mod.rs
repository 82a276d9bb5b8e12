//! The netverify view of a workflow execution: the older API reports one verification status per
//! transaction, with reject reason codes, where KYX reports a decision per capability. This module
//! derives the first from the second, so that both APIs describe the same processing.

mod identity;
mod outcome;
mod report;
mod verdict;

pub use report::{scan_status, ScanReport};
pub use verdict::Verdict;
pub use verifyd_types::values::ScanStatus;
