//! What the capability steps of processing share: the credentials a result is about, and
//! the result of a capability that could not run.

use uuid::Uuid;

use crate::model::Label;
use crate::model::{Capability, CapabilityResult, Category, DecisionType, ExecutionCredential};

pub(super) type Refs = Vec<(Uuid, Category)>;

pub(super) fn refs(credentials: &[&ExecutionCredential]) -> Refs {
    credentials
        .iter()
        .map(|c| (c.credential.id, c.credential.category))
        .collect()
}

/// A capability whose analyser does not exist yet, or whose precondition failed.
pub(super) fn not_run(
    capability: Capability,
    credentials: Refs,
    precondition_met: bool,
) -> CapabilityResult {
    let label = if precondition_met {
        Label::TechnicalError
    } else {
        Label::PreconditionNotFulfilled
    };
    CapabilityResult::new(capability, credentials, DecisionType::NotExecuted, label)
}
