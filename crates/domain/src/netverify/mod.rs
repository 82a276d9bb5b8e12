//! The netverify view of a workflow execution: the older API reports one verification status per
//! transaction, with reject reason codes, where KYX reports a decision per capability. This module
//! derives the first from the second, so that both APIs describe the same processing.

mod identity;
mod outcome;
mod report;
mod verdict;

pub use report::{ScanReport, ScanStatus};
pub use verdict::Verdict;
