//! Usability: is each credential's image good enough to be judged? An ID refused for its
//! measured quality is still read (`documents.rs`): its reading is the better evidence.

use super::results::{not_run, refs};
use crate::analysers::{Analysers, PartImage};
use crate::model::Label;
use crate::model::{
    Capability, CapabilityResult, Category, Classifier, DecisionType, ExecutionCredential,
};

/// Image quality measured on the whole image refused it (`BAD_QUALITY`). Quality is a guess at
/// whether the engine can read the document; for an ID the reading itself is the better
/// evidence, so such an ID is still read, and only a reading that fails leaves the refusal in
/// force, with the measured reasons that explain it. Other refusals (a black-and-white copy,
/// nothing uploaded) are about the capture itself, not its legibility, and stand.
pub(super) fn quality_refused(usability: &CapabilityResult) -> bool {
    usability.decision == DecisionType::Rejected && usability.label == Label::BadQuality
}

/// Usability of one credential's images: NOT_UPLOADED without the part its category needs,
/// TECHNICAL_ERROR when a stored image is missing (`None`), otherwise the usability analyser's
/// finding.
pub(super) async fn judge(
    analysers: &Analysers,
    credential: &ExecutionCredential,
    images: Option<&[PartImage]>,
) -> CapabilityResult {
    let one = refs(&[credential]);
    let Some(images) = images else {
        return not_run(Capability::Usability, one, true);
    };
    let category = credential.credential.category;
    let required = match category {
        Category::Id => Some(Classifier::Front),
        Category::Selfie => Some(Classifier::Face),
        _ => None,
    };
    if images.is_empty()
        || required.is_some_and(|needed| !images.iter().any(|p| p.classifier == needed))
    {
        return CapabilityResult::new(
            Capability::Usability,
            one,
            DecisionType::Rejected,
            Label::NotUploaded,
        );
    }
    let Some(analyser) = &analysers.usability else {
        return not_run(Capability::Usability, one, true);
    };
    match analyser.usability(category, images.to_vec()).await {
        Ok(finding) => {
            let mut result =
                CapabilityResult::new(Capability::Usability, one, finding.decision, finding.label);
            result.data = finding.data;
            result
        }
        Err(error) => {
            tracing::warn!(%error, "usability analysis failed");
            not_run(Capability::Usability, one, true)
        }
    }
}
