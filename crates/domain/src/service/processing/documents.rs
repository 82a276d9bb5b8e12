//! The document chain: each ID read once, and its usability (the document's part of it),
//! image checks, extraction and data checks decided from that reading by the rules of
//! `rules::document_checks`.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;
use verifyd_types::PreparedData;

use super::super::Verifyd;
use super::results::{not_run, refs};
use crate::analysers::{DocumentAnalyser, PartImage};
use crate::error::DomainError;
use crate::model::{
    AcceptedCountry, ApiOptions, Capability, CapabilityResult, Classifier, DecisionType,
    ExecutionCredential, WorkflowExecution,
};
use crate::repository::DocumentFingerprint;
use crate::rules::document_checks::{self, Decided, DocumentContext};
use crate::rules::enabled_fields;

/// What reading the IDs concludes.
pub(super) struct DocumentsRead {
    /// The usability of an ID, decided again with its reading.
    pub usability: Vec<(Uuid, CapabilityResult)>,
    /// imageChecks, extraction, dataChecks of every ID, in order.
    pub results: Vec<CapabilityResult>,
    pub verified_documents: Vec<DocumentFingerprint>,
    /// IDs refused for their measured quality that read all the same.
    pub read_despite_quality: Vec<Uuid>,
    /// IDs refused for their quality and not read either: no image of theirs is used further.
    pub unreadable: Vec<Uuid>,
    /// Whether each ID's extraction passed: screening needs the person it extracted.
    pub extracted: Vec<(Uuid, bool)>,
}

/// The document chain of every ID of the execution.
pub(super) async fn read_documents(
    documents: Option<&dyn DocumentAnalyser>,
    setting: &DocumentSetting<'_>,
    ids: &[&ExecutionCredential],
    usable: &HashSet<Uuid>,
    loaded_images: &HashMap<Uuid, Vec<PartImage>>,
    prepared: &HashMap<Uuid, PreparedData>,
) -> Result<DocumentsRead, DomainError> {
    let mut read = DocumentsRead {
        usability: Vec::new(),
        results: Vec::new(),
        verified_documents: Vec::new(),
        read_despite_quality: Vec::new(),
        unreadable: Vec::new(),
        extracted: Vec::new(),
    };
    for &id in ids {
        let one = refs(&[id]);
        let usable_id = usable.contains(&id.credential.id);
        let images = loaded_images.get(&id.credential.id).cloned();
        let chain = match (documents, images) {
            (Some(documents), Some(images)) => {
                let prepared = prepared.get(&id.credential.id);
                let chain = document_chain(documents, id, images, prepared, setting).await?;
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
                if let (Some(fingerprint), Some((_, execution))) = (chain.verified, setting.history)
                {
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
                    .push(not_run(Capability::DataChecks, one, false));
                false
            }
        };
        read.extracted.push((id.credential.id, extraction_passed));
    }
    Ok(read)
}

/// The tenant's part of the document decisions.
pub(super) struct DocumentSetting<'a> {
    pub accepted: Option<&'a [AcceptedCountry]>,
    pub today: chrono::NaiveDate,
    /// performNetverify's `enabledFields`: what the extraction keeps.
    pub options: &'a ApiOptions,
    /// Where to look for the same document on other accounts; none for `verifyd inspect`.
    pub history: Option<(&'a Verifyd, &'a WorkflowExecution)>,
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
        accepted: setting.accepted,
        country_preset: country_preset.as_ref(),
        type_preset: type_preset.as_ref(),
        back_uploaded,
        today: setting.today,
        prepared,
        verified_elsewhere: &verified_elsewhere,
    };
    let mut decisions = document_checks::decide(&reading, &context);
    if let Some(extraction) = decisions.extraction.as_mut() {
        enabled_fields::leave_out(&mut extraction.data, setting.options);
    }
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
