//! The capability pipeline: which capabilities a workflow runs, on which credentials, in
//! dependency order (usability -> imageChecks -> extraction -> dataChecks; usability ->
//! liveness / similarity / authentication; extraction -> watchlistScreening).

use uuid::Uuid;

use super::Verifyd;
use crate::analysers::{Analysers, PartImage};
use crate::error::DomainError;
use crate::inspector::PartFormat;
use crate::model::{
    Capability, CapabilityResult, Category, DecisionType, ExecutionCredential, Part,
    WorkflowExecution,
};

const PRECONDITION: &str = "PRECONDITION_NOT_FULFILLED";
const TECHNICAL_ERROR: &str = "TECHNICAL_ERROR";

type Refs = Vec<(Uuid, Category)>;

fn refs(credentials: &[&ExecutionCredential]) -> Refs {
    credentials
        .iter()
        .map(|c| (c.credential.id, c.credential.category))
        .collect()
}

/// A capability whose analyser does not exist yet, or whose precondition failed.
fn not_run(capability: Capability, credentials: Refs, precondition_met: bool) -> CapabilityResult {
    let label = if precondition_met {
        TECHNICAL_ERROR
    } else {
        PRECONDITION
    };
    CapabilityResult::new(capability, credentials, DecisionType::NotExecuted, label)
}

pub(super) async fn run(
    verifyd: &Verifyd,
    analysers: &Analysers,
    execution: &WorkflowExecution,
) -> Result<Vec<CapabilityResult>, DomainError> {
    let credentials = verifyd
        .repository
        .execution_credentials(execution.id)
        .await?;
    let ids: Vec<Uuid> = credentials.iter().map(|c| c.credential.id).collect();
    let parts = verifyd.repository.parts(&ids).await?;
    let mut results = Vec::new();

    // Usability of every credential that holds (or should hold) images.
    let mut usable = std::collections::HashSet::new();
    for credential in &credentials {
        let images: Vec<&Part> = parts
            .iter()
            .filter(|p| {
                p.credential_id == credential.credential.id
                    && p.classifier.format() == Some(PartFormat::Image)
            })
            .collect();
        let category = credential.credential.category;
        let relevant = matches!(category, Category::Id | Category::Selfie)
            || (category == Category::Facemap && !images.is_empty());
        if !relevant {
            continue;
        }
        let result = usability(verifyd, analysers, credential, &images).await?;
        if result.passed() {
            usable.insert(credential.credential.id);
        }
        results.push(result);
    }
    let passed = |c: &&ExecutionCredential| usable.contains(&c.credential.id);
    let of = |category: Category| -> Vec<&ExecutionCredential> {
        credentials
            .iter()
            .filter(|c| c.credential.category == category)
            .collect()
    };

    let key = execution.definition_key.get();
    if matches!(key, 2 | 3 | 32) {
        for id in of(Category::Id) {
            let one = refs(&[id]);
            // No document analyser yet: image checks cannot run, and what depends on them waits.
            let image_checks = not_run(Capability::ImageChecks, one.clone(), passed(&id));
            let extraction_ready = image_checks.passed();
            results.push(image_checks);
            results.push(not_run(
                Capability::Extraction,
                one.clone(),
                extraction_ready,
            ));
            results.push(not_run(Capability::DataChecks, one.clone(), false));
            if key == 32 {
                results.push(not_run(Capability::WatchlistScreening, one, false));
            }
        }
    }
    let selfies = of(Category::Selfie);
    let selfie_ready = !selfies.is_empty() && selfies.iter().all(passed);
    if matches!(key, 3 | 6 | 32) {
        let mut subjects = of(Category::Facemap);
        subjects.extend(selfies.iter().copied());
        results.push(not_run(Capability::Liveness, refs(&subjects), selfie_ready));
    }
    if matches!(key, 3 | 5 | 20 | 32) {
        let mut pair = of(Category::Id);
        pair.extend(selfies.iter().copied());
        let ready = !pair.is_empty() && pair.iter().all(passed);
        results.push(not_run(Capability::Similarity, refs(&pair), ready));
    }
    if matches!(key, 9 | 16) {
        let mut subjects = of(Category::Facemap);
        subjects.extend(selfies.iter().copied());
        results.push(not_run(
            Capability::Authentication,
            refs(&subjects),
            selfie_ready,
        ));
    }
    Ok(results)
}

async fn usability(
    verifyd: &Verifyd,
    analysers: &Analysers,
    credential: &ExecutionCredential,
    images: &[&Part],
) -> Result<CapabilityResult, DomainError> {
    let one = refs(&[credential]);
    let category = credential.credential.category;
    let required = match category {
        Category::Id => Some(crate::model::Classifier::Front),
        Category::Selfie => Some(crate::model::Classifier::Face),
        _ => None,
    };
    if images.is_empty()
        || required.is_some_and(|needed| !images.iter().any(|p| p.classifier == needed))
    {
        return Ok(CapabilityResult::new(
            Capability::Usability,
            one,
            DecisionType::Rejected,
            "NOT_UPLOADED",
        ));
    }
    let Some(analyser) = &analysers.usability else {
        return Ok(not_run(Capability::Usability, one, true));
    };
    let mut loaded = Vec::with_capacity(images.len());
    for part in images {
        match verifyd.blobs.get(&part.blob_key).await? {
            Some(bytes) => loaded.push(PartImage {
                classifier: part.classifier,
                bytes,
            }),
            None => return Ok(not_run(Capability::Usability, one, true)),
        }
    }
    Ok(match analyser.usability(category, loaded).await {
        Ok(finding) => {
            let mut result =
                CapabilityResult::new(Capability::Usability, one, finding.decision, &finding.label);
            result.data = finding.data;
            result
        }
        Err(error) => {
            tracing::warn!(%error, "usability analysis failed");
            not_run(Capability::Usability, one, true)
        }
    })
}
