//! The capability pipeline: which capabilities a workflow runs, on which credentials, in
//! dependency order (usability -> imageChecks -> extraction -> dataChecks; usability ->
//! liveness / similarity / authentication; extraction -> watchlistScreening).

use std::collections::{HashMap, HashSet};

use uuid::Uuid;
use verifyd_types::PreparedData;

use super::face_head_start::{Ahead, HeadStart};
use super::faces::{FaceOutcome, FaceStep};
use super::results::{not_run, refs};
use super::Verifyd;
use crate::analysers::{Analysers, DocumentAnalyser, FaceAnalyser, PartImage};
use crate::error::DomainError;
use crate::inspector::PartFormat;
use crate::model::{
    Capability, CapabilityResult, Category, Classifier, ClassifierRules, DecisionType,
    ExecutionCredential, Part, WorkflowExecution,
};
use crate::repository::DocumentFingerprint;
use crate::rules::document_checks::{self, Decided, DocumentContext};

const BAD_QUALITY: &str = "BAD_QUALITY";

/// What processing concludes, and the documents it verified.
pub(super) struct PipelineOutcome {
    pub results: Vec<CapabilityResult>,
    pub verified_documents: Vec<DocumentFingerprint>,
}

pub(super) async fn run(
    verifyd: &Verifyd,
    analysers: &Analysers,
    execution: &WorkflowExecution,
) -> Result<PipelineOutcome, DomainError> {
    let mut verified_documents = Vec::new();
    let credentials = verifyd
        .repository
        .execution_credentials(execution.id)
        .await?;
    let ids: Vec<Uuid> = credentials.iter().map(|c| c.credential.id).collect();
    let parts = verifyd.repository.parts(&ids).await?;
    let mut results = Vec::new();

    // Usability of every credential that holds (or should hold) images.
    let mut usable = HashSet::new();
    let mut loaded_images = HashMap::new();
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
        let (result, loaded) = usability(verifyd, analysers, credential, &images).await?;
        if result.passed() {
            usable.insert(credential.credential.id);
            loaded_images.insert(credential.credential.id, loaded);
        } else if category == Category::Id && quality_refused(&result) {
            // The document's reading decides, below: quality only explains a failed one.
            loaded_images.insert(credential.credential.id, loaded);
        }
        results.push(result);
    }
    let of = |category: Category| -> Vec<&ExecutionCredential> {
        credentials
            .iter()
            .filter(|c| c.credential.category == category)
            .collect()
    };

    let steps = execution.definition_key.definition().steps;
    let ids = of(Category::Id);
    let selfies = of(Category::Selfie);
    let facemaps = of(Category::Facemap);
    let ahead = face_work_ahead(steps, &ids, &selfies, &facemaps, &loaded_images);
    let reading = async {
        if steps.documents {
            let setting = Processing {
                verifyd,
                analysers,
                execution,
                parts: &parts,
            };
            read_documents(&setting, &ids, &usable, &loaded_images, steps.screening)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let head_start = async {
        match analysers.faces.as_deref() {
            Some(faces) if steps.documents => Some(HeadStart::run(faces, ahead).await),
            _ => None,
        }
    };
    let (read, head_start) = futures::join!(reading, head_start);
    if let Some(read) = read? {
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
            loaded_images.remove(&id);
        }
    }
    let faces = FaceStep {
        verifyd,
        analyser: match &head_start {
            Some(head_start) => Some(head_start as &dyn FaceAnalyser),
            None => analysers.faces.as_deref(),
        },
        execution,
        parts: &parts,
        usable: &usable,
        loaded: &loaded_images,
    };
    let mut face_outcome = FaceOutcome::default();
    if steps.liveness {
        results.push(
            faces
                .liveness(&facemaps, &selfies, &mut face_outcome)
                .await?,
        );
    }
    if steps.similarity {
        let mut pair = ids.clone();
        pair.extend(selfies.iter().copied());
        results.push(faces.similarity(&pair, &mut face_outcome).await);
    }
    if steps.authentication {
        results.push(
            faces
                .authentication(&facemaps, &selfies, &mut face_outcome)
                .await?,
        );
    }
    let duplicates = faces.record(face_outcome).await?;
    super::faces::mark_duplicates(&mut results, &duplicates);
    Ok(PipelineOutcome {
        results,
        verified_documents,
    })
}

/// What every step of one execution's processing reads from.
struct Processing<'a> {
    verifyd: &'a Verifyd,
    analysers: &'a Analysers,
    execution: &'a WorkflowExecution,
    parts: &'a [Part],
}

/// What reading the IDs concludes.
struct DocumentsRead {
    /// The usability of an ID, decided again with its reading.
    usability: Vec<(Uuid, CapabilityResult)>,
    /// imageChecks, extraction, dataChecks (and watchlistScreening) of every ID, in order.
    results: Vec<CapabilityResult>,
    verified_documents: Vec<DocumentFingerprint>,
    /// IDs refused for their measured quality that read all the same.
    read_despite_quality: Vec<Uuid>,
    /// IDs refused for their quality and not read either: no image of theirs is used further.
    unreadable: Vec<Uuid>,
}

/// The document chain of every ID of the execution.
async fn read_documents(
    step: &Processing<'_>,
    ids: &[&ExecutionCredential],
    usable: &HashSet<Uuid>,
    loaded_images: &HashMap<Uuid, Vec<PartImage>>,
    screening: bool,
) -> Result<DocumentsRead, DomainError> {
    let Processing {
        verifyd,
        analysers,
        execution,
        parts,
    } = *step;
    let context = DocumentSetting {
        accepted: verifyd
            .repository
            .tenant(execution.tenant_id)
            .await?
            .and_then(|tenant| tenant.accepted_id_types),
        today: verifyd.clock.now().date_naive(),
        history: Some((verifyd, execution)),
    };
    let mut read = DocumentsRead {
        usability: Vec::new(),
        results: Vec::new(),
        verified_documents: Vec::new(),
        read_despite_quality: Vec::new(),
        unreadable: Vec::new(),
    };
    for &id in ids {
        let one = refs(&[id]);
        let usable_id = usable.contains(&id.credential.id);
        let images = loaded_images.get(&id.credential.id).cloned();
        let chain = match (&analysers.documents, images) {
            (Some(documents), Some(images)) => {
                let prepared = prepared_data(verifyd, id, parts).await?;
                let chain =
                    document_chain(documents.as_ref(), id, images, prepared.as_ref(), &context)
                        .await?;
                // Refused for its quality and not read either: the refusal stands.
                chain.filter(|chain| usable_id || chain.identified)
            }
            _ => None,
        };
        if chain.is_some() && !usable_id {
            // Read despite its measured quality: as usable as any other for the faces.
            read.read_despite_quality.push(id.credential.id);
        } else if !usable_id {
            read.unreadable.push(id.credential.id);
        }
        let extraction_passed = match chain {
            Some(chain) => {
                if let Some(fingerprint) = chain.verified {
                    read.verified_documents.push(DocumentFingerprint {
                        tenant_id: execution.tenant_id,
                        account_id: execution.account_id,
                        execution_id: execution.id,
                        fingerprint,
                    });
                }
                read.usability.push((id.credential.id, chain.usability));
                read.results.extend(chain.rest);
                chain.extraction_passed
            }
            None => {
                // No document analyser, or it failed: image checks cannot run, and what
                // depends on them waits.
                let image_checks = not_run(Capability::ImageChecks, one.clone(), usable_id);
                let extraction_ready = image_checks.passed();
                read.results.push(image_checks);
                read.results.push(not_run(
                    Capability::Extraction,
                    one.clone(),
                    extraction_ready,
                ));
                read.results
                    .push(not_run(Capability::DataChecks, one.clone(), false));
                false
            }
        };
        if screening {
            // No screening provider yet: it could run once extraction passed, but cannot.
            read.results.push(not_run(
                Capability::WatchlistScreening,
                one,
                extraction_passed,
            ));
        }
    }
    Ok(read)
}

/// The face analyses similarity and a selfie's liveness will ask for, on images already
/// loaded: an ID's front, a selfie (when no capture sequence is judged instead).
fn face_work_ahead(
    steps: crate::rules::workflow_definition::Steps,
    ids: &[&ExecutionCredential],
    selfies: &[&ExecutionCredential],
    facemaps: &[&ExecutionCredential],
    loaded_images: &HashMap<Uuid, Vec<PartImage>>,
) -> Ahead {
    let image = |credential: &ExecutionCredential, classifier: Classifier| {
        loaded_images
            .get(&credential.credential.id)
            .and_then(|images| images.iter().find(|image| image.classifier == classifier))
            .cloned()
    };
    let mut ahead = Ahead::default();
    if steps.similarity {
        ahead.templates.extend(
            ids.iter()
                .filter_map(|id| image(id, Classifier::Front))
                .chain(selfies.iter().filter_map(|s| image(s, Classifier::Face))),
        );
    }
    let captured = facemaps.iter().any(|facemap| {
        loaded_images
            .get(&facemap.credential.id)
            .is_some_and(|images| {
                images
                    .iter()
                    .any(|image| matches!(image.classifier, Classifier::Liveness(_)))
            })
    });
    if steps.liveness && !captured {
        ahead.selfie_liveness.extend(
            selfies
                .first()
                .and_then(|selfie| image(selfie, Classifier::Face)),
        );
    }
    ahead
}

/// The tenant's part of the document decisions.
struct DocumentSetting<'a> {
    accepted: Option<Vec<crate::model::AcceptedCountry>>,
    today: chrono::NaiveDate,
    /// Where to look for the same document on other accounts; none for `verifyd inspect`.
    history: Option<(&'a Verifyd, &'a WorkflowExecution)>,
}

struct DocumentChain {
    usability: CapabilityResult,
    /// The reading identified the document: an MRZ whose check digits pass, or a barcode.
    identified: bool,
    rest: Vec<CapabilityResult>,
    extraction_passed: bool,
    /// The document's fingerprint, when every check on it passed.
    verified: Option<String>,
}

/// Reads the ID and decides usability (the document's part of it), imageChecks, extraction and
/// dataChecks. None when the analyser failed: the caller reports that as not executed.
/// The ID's PREPARED_DATA part, validated at upload.
async fn prepared_data(
    verifyd: &Verifyd,
    id: &ExecutionCredential,
    parts: &[Part],
) -> Result<Option<PreparedData>, DomainError> {
    let Some(part) = parts
        .iter()
        .find(|p| p.credential_id == id.credential.id && p.classifier == Classifier::PreparedData)
    else {
        return Ok(None);
    };
    Ok(verifyd
        .blobs
        .get(&part.blob_key)
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}

async fn document_chain(
    documents: &dyn DocumentAnalyser,
    id: &ExecutionCredential,
    images: Vec<PartImage>,
    prepared: Option<&PreparedData>,
    setting: &DocumentSetting<'_>,
) -> Result<Option<DocumentChain>, DomainError> {
    let back_uploaded = images
        .iter()
        .any(|image| image.classifier == Classifier::Back);
    let reading = match documents.read(images, setting.today).await {
        Ok(reading) => reading,
        Err(error) => {
            tracing::warn!(%error, "document analysis failed");
            return Ok(None);
        }
    };
    let fingerprint = setting.history.and_then(|(verifyd, execution)| {
        document_checks::fingerprint(verifyd.keyring.lookup(), execution.tenant_id, &reading)
    });
    let verified_elsewhere = match (setting.history, &fingerprint) {
        (Some((verifyd, execution)), Some(fingerprint)) => {
            verifyd
                .repository
                .accounts_with_document(execution.tenant_id, fingerprint, execution.account_id)
                .await?
        }
        _ => Vec::new(),
    };
    let (country_preset, type_preset) = id.credential.document_presets();
    let context = DocumentContext {
        accepted: setting.accepted.as_deref(),
        country_preset: country_preset.as_ref(),
        type_preset: type_preset.as_ref(),
        back_uploaded,
        today: setting.today,
        prepared,
        verified_elsewhere: &verified_elsewhere,
    };
    let decisions = document_checks::decide(&reading, &context);
    let one = refs(&[id]);
    let result = |capability: Capability, decided: &Decided| {
        let mut result =
            CapabilityResult::new(capability, one.clone(), decided.decision, decided.label);
        result.data = decided.data.clone();
        result
    };
    let mut rest = Vec::new();
    for (capability, decided) in [
        (Capability::ImageChecks, &decisions.image_checks),
        (Capability::Extraction, &decisions.extraction),
        (Capability::DataChecks, &decisions.data_checks),
    ] {
        match decided {
            Some(decided) => rest.push(result(capability, decided)),
            None => rest.push(not_run(capability, one.clone(), false)),
        }
    }
    let all_passed = decisions.usability.decision == DecisionType::Passed
        && [
            &decisions.image_checks,
            &decisions.extraction,
            &decisions.data_checks,
        ]
        .iter()
        .all(|decided| {
            decided
                .as_ref()
                .is_some_and(|d| d.decision == DecisionType::Passed)
        });
    Ok(Some(DocumentChain {
        identified: document_checks::identified(&reading),
        verified: fingerprint.filter(|_| all_passed),
        usability: result(Capability::Usability, &decisions.usability),
        extraction_passed: decisions
            .extraction
            .as_ref()
            .is_some_and(|e| e.decision == DecisionType::Passed),
        rest,
    }))
}

/// Image quality measured on the whole image refused it (`BAD_QUALITY`). Quality is a guess at
/// whether the engine can read the document; for an ID the reading itself is the better
/// evidence, so such an ID is still read, and only a reading that fails leaves the refusal in
/// force, with the measured reasons that explain it. Other refusals (a black-and-white copy,
/// nothing uploaded) are about the capture itself, not its legibility, and stand.
fn quality_refused(usability: &CapabilityResult) -> bool {
    usability.decision == DecisionType::Rejected && usability.label == BAD_QUALITY
}

async fn usability(
    verifyd: &Verifyd,
    analysers: &Analysers,
    credential: &ExecutionCredential,
    images: &[&Part],
) -> Result<(CapabilityResult, Vec<PartImage>), DomainError> {
    let mut loaded = Vec::with_capacity(images.len());
    for part in images {
        match verifyd.blobs.get(&part.blob_key).await? {
            Some(bytes) => loaded.push(PartImage {
                classifier: part.classifier,
                bytes,
            }),
            None => {
                let one = refs(&[credential]);
                return Ok((not_run(Capability::Usability, one, true), Vec::new()));
            }
        }
    }
    let result = judge_usability(analysers, credential, &loaded).await;
    Ok((result, loaded))
}

/// Usability of one credential's images: NOT_UPLOADED without the part its category needs,
/// otherwise the usability analyser's finding.
async fn judge_usability(
    analysers: &Analysers,
    credential: &ExecutionCredential,
    images: &[PartImage],
) -> CapabilityResult {
    let one = refs(&[credential]);
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
            "NOT_UPLOADED",
        );
    }
    let Some(analyser) = &analysers.usability else {
        return not_run(Capability::Usability, one, true);
    };
    match analyser.usability(category, images.to_vec()).await {
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
    }
}

/// What `verifyd inspect` is given: an ID's images and, optionally, a selfie.
pub struct Inspection {
    pub id: Vec<PartImage>,
    pub selfie: Option<PartImage>,
    pub country: Option<crate::model::Preset>,
    pub id_type: Option<crate::model::Preset>,
    /// The moment of the inspection: the day documents are checked against (expiry, age).
    pub now: chrono::DateTime<chrono::Utc>,
}

fn credential_for_inspection(
    category: Category,
    position: u16,
    presets: (Option<crate::model::Preset>, Option<crate::model::Preset>),
    now: chrono::DateTime<chrono::Utc>,
) -> ExecutionCredential {
    let (country, id_type) = presets;
    ExecutionCredential {
        credential: crate::model::Credential {
            id: Uuid::from_u128(u128::from(position) + 1),
            tenant_id: Uuid::nil(),
            account_id: Uuid::nil(),
            execution_id: Uuid::nil(),
            category,
            country,
            id_type,
            chosen: None,
            created_at: now,
        },
        position: position.into(),
        allowed_channels: Vec::new(),
    }
}

/// The capabilities processing would report for an ID (and a selfie), without a server:
/// usability, the document chain, and with a selfie its passive liveness and its similarity
/// with the ID's portrait, through the same analysers and rules.
pub async fn inspect_id(analysers: &Analysers, inspection: Inspection) -> Vec<CapabilityResult> {
    let Inspection {
        id: images,
        selfie,
        country,
        id_type,
        now,
    } = inspection;
    let today = now.date_naive();
    let id = credential_for_inspection(Category::Id, 0, (country, id_type), now);
    let one = refs(&[&id]);
    let front = images
        .iter()
        .find(|image| image.classifier == Classifier::Front)
        .cloned();
    let usability = judge_usability(analysers, &id, &images).await;
    let setting = DocumentSetting {
        accepted: None,
        today,
        history: None,
    };
    let chain = match &analysers.documents {
        Some(documents) if usability.passed() || quality_refused(&usability) => {
            match document_chain(documents.as_ref(), &id, images, None, &setting).await {
                Ok(chain) => chain.filter(|chain| usability.passed() || chain.identified),
                Err(error) => {
                    tracing::warn!(%error, "document analysis failed");
                    None
                }
            }
        }
        _ => None,
    };
    let id_usable = usability.passed() || chain.is_some();
    let mut results = match chain {
        Some(chain) => {
            let mut results = vec![chain.usability];
            results.extend(chain.rest);
            results
        }
        None => {
            let ready = usability.passed();
            vec![
                usability,
                not_run(Capability::ImageChecks, one.clone(), ready),
                not_run(Capability::Extraction, one.clone(), false),
                not_run(Capability::DataChecks, one, false),
            ]
        }
    };
    if let Some(selfie) = selfie {
        let person = credential_for_inspection(Category::Selfie, 1, (None, None), now);
        let usability = judge_usability(analysers, &person, std::slice::from_ref(&selfie)).await;
        let selfie_usable = usability.passed();
        results.push(usability);
        let alone = refs(&[&person]);
        let both = [&id, &person];
        match (analysers.faces.as_deref(), selfie_usable) {
            (Some(faces), true) => {
                let liveness = match faces.selfie_liveness(selfie.clone()).await {
                    Ok(finding) => super::faces::liveness_result(&[&person], &finding),
                    Err(error) => {
                        tracing::warn!(%error, "selfie liveness failed");
                        not_run(Capability::Liveness, alone, true)
                    }
                };
                results.push(liveness);
                let similarity = match front.filter(|_| id_usable) {
                    Some(front) => match super::faces::compare_faces(faces, front, selfie).await {
                        Ok((decision, label, _)) => {
                            super::faces::similarity_result(&both, decision, label)
                        }
                        Err(error) => {
                            tracing::warn!(%error, "face analysis failed");
                            not_run(Capability::Similarity, refs(&both), true)
                        }
                    },
                    None => not_run(Capability::Similarity, refs(&both), false),
                };
                results.push(similarity);
            }
            (faces, usable) => {
                let ready = usable && faces.is_some();
                results.push(not_run(Capability::Liveness, alone, usable && ready));
                results.push(not_run(
                    Capability::Similarity,
                    refs(&both),
                    usable && id_usable,
                ));
            }
        }
    }
    results
}
