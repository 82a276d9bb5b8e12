//! Watchlist screening of the person each ID's extraction found. verifyd has no screening
//! provider yet, so the step says so: NOT_EXECUTED, with TECHNICAL_ERROR where extraction
//! passed (screening could run, but cannot) and PRECONDITION_NOT_FULFILLED where it did not.

use uuid::Uuid;

use super::results::{not_run, refs};
use crate::model::{Capability, CapabilityResult, ExecutionCredential};

pub(super) fn screen(
    ids: &[&ExecutionCredential],
    extracted: &[(Uuid, bool)],
) -> Vec<CapabilityResult> {
    ids.iter()
        .map(|&id| {
            let passed = extracted
                .iter()
                .any(|&(credential, passed)| credential == id.credential.id && passed);
            not_run(Capability::WatchlistScreening, refs(&[id]), passed)
        })
        .collect()
}
