//! The processing plan: the capability steps a workflow's definition lists, in the order they
//! run. Usability comes first for every workflow (every later step depends on it); the
//! document chain before screening (which screens the person it extracted); the face steps
//! last, in this order, beside whose head start the document chain runs (`head_start.rs`).

use crate::rules::workflow_definition::WorkflowKey;

/// One step of processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Each credential's images: good enough to be judged? (`usability.rs`)
    Usability,
    /// Each ID read: image checks, extraction, data checks (`documents.rs`).
    Documents,
    /// The person extracted from each ID against watchlists (`screening.rs`).
    Screening,
    /// The capture sequence or the selfie: a live person? (`liveness.rs`)
    Liveness,
    /// The ID's portrait against the selfie (`similarity.rs`).
    Similarity,
    /// A new capture against a facemap (`authentication.rs`).
    Authentication,
}

impl Step {
    /// The step's name where it is reported (`/metrics`): the capability it decides, or
    /// `documents` for the document chain (image checks, extraction, data checks).
    pub fn key(self) -> &'static str {
        match self {
            Step::Usability => "usability",
            Step::Documents => "documents",
            Step::Screening => "watchlistScreening",
            Step::Liveness => "liveness",
            Step::Similarity => "similarity",
            Step::Authentication => "authentication",
        }
    }
}

/// What processing runs for one workflow, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    steps: Vec<Step>,
}

impl Plan {
    /// The plan of `key`, read from its definition; `screening_requested` says whether the
    /// request asked for the screening a definition runs only on request.
    pub fn of(key: WorkflowKey, screening_requested: bool) -> Self {
        let listed = key.definition().steps;
        let steps = [
            (Step::Usability, true),
            (Step::Documents, listed.documents),
            (Step::Screening, listed.screening.runs(screening_requested)),
            (Step::Liveness, listed.liveness),
            (Step::Similarity, listed.similarity),
            (Step::Authentication, listed.authentication),
        ]
        .into_iter()
        .filter_map(|(step, runs)| runs.then_some(step))
        .collect();
        Self { steps }
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn runs(&self, step: Step) -> bool {
        self.steps.contains(&step)
    }
}

#[cfg(test)]
mod tests {
    use super::Step::*;
    use super::*;
    use crate::rules::workflow_definition::{for_inspection, DEFINITIONS};

    fn plan(key: u16) -> Vec<Step> {
        WorkflowKey::new(key)
            .map(|key| Plan::of(key, false).steps().to_vec())
            .unwrap_or_default()
    }

    fn requested(key: u16) -> Vec<Step> {
        WorkflowKey::new(key)
            .map(|key| Plan::of(key, true).steps().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn each_workflow_runs_the_capabilities_of_the_specification() {
        // reference/workflow_descriptions.md, workflow by workflow.
        assert_eq!(plan(2), [Usability, Documents]);
        assert_eq!(plan(3), [Usability, Documents, Liveness, Similarity]);
        assert_eq!(plan(5), [Usability, Similarity]);
        assert_eq!(plan(6), [Usability, Liveness]);
        assert_eq!(plan(9), [Usability, Authentication]);
        assert_eq!(plan(16), [Usability, Authentication]);
        assert_eq!(plan(20), [Usability, Similarity]);
        assert_eq!(
            plan(32),
            [Usability, Documents, Screening, Liveness, Similarity]
        );
        // Screening on request: workflows 2 and 3 (the guide's example, netverify's
        // additionalChecks); the others never screen.
        assert_eq!(requested(2), [Usability, Documents, Screening]);
        assert_eq!(
            requested(3),
            [Usability, Documents, Screening, Liveness, Similarity]
        );
        assert_eq!(requested(5), plan(5));
        assert_eq!(requested(32), plan(32));
        assert_eq!(
            DEFINITIONS.len(),
            8,
            "a new workflow needs its plan checked here"
        );
    }

    #[test]
    fn inspect_runs_the_plan_of_id_verification_and_with_a_selfie_of_id_and_identity() {
        let inspected =
            |selfie| for_inspection(selfie).map(|key| Plan::of(key, false).steps().to_vec());
        assert_eq!(inspected(false), Some(vec![Usability, Documents]));
        assert_eq!(
            inspected(true),
            Some(vec![Usability, Documents, Liveness, Similarity])
        );
    }
}
