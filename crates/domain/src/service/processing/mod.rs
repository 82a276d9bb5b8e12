//! Processing an execution: the plan its workflow definition lists (`plan.rs`), run step by
//! step over what the execution holds (`inputs.rs`), one file per step: `usability.rs`,
//! `documents.rs`, `screening.rs`, `liveness.rs`, `similarity.rs`, `authentication.rs`
//! (with what the face steps share in `faces.rs`, and their head start beside the document
//! chain in `head_start.rs`). A worker runs it for a job (`jobs.rs`); `verifyd inspect` runs
//! the same plan over an execution that lives in memory only (`inspect.rs`).

mod authentication;
mod documents;
mod faces;
mod head_start;
mod inputs;
mod inspect;
pub(super) mod jobs;
mod liveness;
mod plan;
pub(super) mod results;
mod screening;
mod similarity;
mod usability;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

pub use inspect::{inspect_id, Inspection};
pub use plan::{Plan, Step};
pub use screening::SEARCH_PATH;

use super::Verifyd;
use crate::analysers::{Analysers, FaceAnalyser};
use crate::error::DomainError;
use crate::model::{
    Capability, CapabilityResult, Category, ExecutionCredential, WorkflowExecution,
};
use crate::repository::DocumentFingerprint;
use documents::DocumentSetting;
use faces::{FaceOutcome, FaceStep};
use head_start::HeadStart;
use inputs::Inputs;

/// What processing concludes, the documents it verified, and how long each step took.
pub(super) struct PipelineOutcome {
    pub results: Vec<CapabilityResult>,
    pub verified_documents: Vec<DocumentFingerprint>,
    pub steps: Vec<(Step, Duration)>,
}

/// What every step of one execution's processing reads from.
struct Setting<'a> {
    analysers: &'a Analysers,
    execution: &'a WorkflowExecution,
    /// The day documents are checked against (expiry, age), from the injected clock.
    today: NaiveDate,
    /// Where earlier documents, challenges and facemaps are looked up and new evidence is
    /// kept; none for `verifyd inspect`, which compares with nothing earlier and keeps nothing.
    stores: Option<&'a Verifyd>,
}

/// Processes a stored execution: its plan over its stored credentials and parts.
pub(super) async fn run(
    verifyd: &Verifyd,
    analysers: &Analysers,
    execution: &WorkflowExecution,
) -> Result<PipelineOutcome, DomainError> {
    let plan = Plan::of(
        execution.definition_key,
        execution.screening_properties.is_some(),
    );
    let inputs = Inputs::load(verifyd, execution, &plan).await?;
    let setting = Setting {
        analysers,
        execution,
        today: verifyd.clock.now().date_naive(),
        stores: Some(verifyd),
    };
    execute(&setting, &plan, inputs).await
}

/// Runs `plan`'s steps in order: usability of every judged credential; the document chain
/// of each ID (beside the face analyses that need no reading) and its screening; then the
/// face steps.
async fn execute(
    setting: &Setting<'_>,
    plan: &Plan,
    inputs: Inputs,
) -> Result<PipelineOutcome, DomainError> {
    let Setting {
        analysers,
        execution,
        today,
        stores,
    } = *setting;
    let mut results = Vec::new();
    let mut verified_documents = Vec::new();
    // Wall time per step, for the server's metrics (not the clock port: nothing decides by it).
    let mut steps = Vec::new();

    // Usability of every credential that holds (or should hold) images.
    let mut usable = HashSet::new();
    let mut loaded = HashMap::new();
    let started = Instant::now();
    for credential in &inputs.credentials {
        let id = credential.credential.id;
        let Some(images) = inputs.images.get(&id) else {
            continue;
        };
        let result = usability::judge(analysers, credential, images.as_deref()).await;
        let images = images.clone().unwrap_or_default();
        if result.passed() {
            usable.insert(id);
            loaded.insert(id, images);
        } else if credential.credential.category == Category::Id
            && usability::quality_refused(&result)
        {
            // The document's reading decides, below: quality only explains a failed one.
            loaded.insert(id, images);
        }
        results.push(result);
    }
    steps.push((Step::Usability, started.elapsed()));
    let of = |category: Category| -> Vec<&ExecutionCredential> {
        inputs
            .credentials
            .iter()
            .filter(|c| c.credential.category == category)
            .collect()
    };
    let ids = of(Category::Id);
    let selfies = of(Category::Selfie);
    let facemaps = of(Category::Facemap);

    let mut head_start = None;
    if plan.runs(plan::Step::Documents) {
        let ahead = head_start::face_work_ahead(plan, &ids, &selfies, &facemaps, &loaded);
        let document_setting = DocumentSetting {
            accepted: inputs.accepted.as_deref(),
            today,
            options: &execution.options,
            history: stores.map(|verifyd| (verifyd, execution)),
        };
        let reading = async {
            let started = Instant::now();
            let read = documents::read_documents(
                analysers.documents.as_deref(),
                &document_setting,
                &ids,
                &usable,
                &loaded,
                &inputs.prepared,
            )
            .await;
            (read, started.elapsed())
        };
        let faces_ahead = async {
            match analysers.faces.as_deref() {
                Some(faces) => Some(HeadStart::run(faces, ahead).await),
                None => None,
            }
        };
        let ((read, reading_took), ahead) = futures::join!(reading, faces_ahead);
        let read = read?;
        steps.push((Step::Documents, reading_took));
        head_start = ahead;
        for (id, replaced) in read.usability {
            if let Some(usability) = results.iter_mut().find(|r| {
                r.capability == Capability::Usability
                    && r.credentials.first().map(|c| c.0) == Some(id)
            }) {
                *usability = replaced;
            }
        }
        results.extend(read.results);
        verified_documents.extend(read.verified_documents);
        usable.extend(read.read_despite_quality);
        for id in read.unreadable {
            loaded.remove(&id);
        }
        if plan.runs(plan::Step::Screening) {
            let started = Instant::now();
            let screened =
                screening::screen(stores, execution, &ids, &read.extracted, &results).await;
            results.extend(screened);
            steps.push((Step::Screening, started.elapsed()));
        }
    }

    let faces = FaceStep {
        stores,
        analyser: match &head_start {
            Some(head_start) => Some(head_start as &dyn FaceAnalyser),
            None => analysers.faces.as_deref(),
        },
        execution,
        parts: &inputs.parts,
        usable: &usable,
        loaded: &loaded,
    };
    let mut face_outcome = FaceOutcome::default();
    for step in plan.steps() {
        let started = Instant::now();
        match step {
            Step::Liveness => results.push(
                faces
                    .liveness(&facemaps, &selfies, &mut face_outcome)
                    .await?,
            ),
            Step::Similarity => {
                let mut pair = ids.clone();
                pair.extend(selfies.iter().copied());
                results.push(faces.similarity(&pair, &mut face_outcome).await);
            }
            Step::Authentication => results.push(
                faces
                    .authentication(&facemaps, &selfies, &mut face_outcome)
                    .await?,
            ),
            Step::Usability | Step::Documents | Step::Screening => continue,
        }
        steps.push((*step, started.elapsed()));
    }
    let duplicates = faces.record(face_outcome).await?;
    faces::mark_duplicates(&mut results, &duplicates);
    Ok(PipelineOutcome {
        results,
        verified_documents,
        steps,
    })
}
