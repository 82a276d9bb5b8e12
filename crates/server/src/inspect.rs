//! `verifyd inspect`: the capabilities of an ID (and a selfie) from image files, through the analysers and
//! rules that processing uses, printed in the retrieval API's shape.

use bytes::Bytes;
use verifyd_analysers::{explain, inspect_image, load_text_reader, models_dir};
use verifyd_domain::analysers::PartImage;
use verifyd_domain::model::{
    outcome_document, Classifier, OverallDecision, PredefinedType, Preset,
};
use verifyd_domain::service::{inspect_id, Inspection};

use crate::config::Settings;
use crate::serve::{analyser_settings, StartError};

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Models(#[from] verifyd_analysers::ModelError),
    #[error(transparent)]
    Processing(#[from] verifyd_domain::DomainError),
    #[error("{side}: {message}")]
    File { side: &'static str, message: String },
}

/// The sides of the document as files' bytes, and what the caller knows of it.
pub struct InspectRequest {
    pub front: Vec<u8>,
    pub back: Option<Vec<u8>>,
    /// A selfie to compare with the ID's portrait and judge for liveness (passively).
    pub selfie: Option<Vec<u8>>,
    pub country: Option<String>,
    pub id_type: Option<String>,
    /// Also show every stage of the document engine on each image (`--explain`).
    pub explain: bool,
    /// When the inspection happens: documents are checked against its day.
    pub now: chrono::DateTime<chrono::Utc>,
}

pub async fn inspect(
    settings: &Settings,
    request: InspectRequest,
) -> Result<serde_json::Value, InspectError> {
    let analyser_settings = analyser_settings(settings);
    let limits = analyser_settings.limits;
    let mut images = Vec::new();
    for (side, classifier, bytes) in [
        ("front", Classifier::Front, Some(request.front)),
        ("back", Classifier::Back, request.back),
        ("selfie", Classifier::Face, request.selfie),
    ] {
        let Some(bytes) = bytes else { continue };
        inspect_image(&bytes, &limits).map_err(|error| InspectError::File {
            side,
            message: error.to_string(),
        })?;
        images.push(PartImage {
            classifier,
            bytes: Bytes::from(bytes),
        });
    }
    let analysers = verifyd_analysers::available(&analyser_settings)?;
    let defined = |value: Option<String>| {
        value.map(|value| Preset {
            predefined_type: PredefinedType::Defined,
            values: vec![value],
        })
    };
    let selfie = images
        .iter()
        .position(|image| image.classifier == Classifier::Face)
        .map(|at| images.remove(at));
    let explained = if request.explain {
        let reader = load_text_reader(&models_dir(analyser_settings.models_dir.as_deref()))?;
        Some(explain::explain(
            &images,
            &limits,
            Some(&reader),
            request.now.date_naive(),
        ))
    } else {
        None
    };
    let inspection = Inspection {
        id: images,
        selfie,
        country: defined(request.country),
        id_type: defined(request.id_type),
        now: request.now,
    };
    let results = inspect_id(&analysers, inspection).await?;
    let overall = OverallDecision::from_results(&results);
    let mut document = outcome_document(&results, &overall);
    if let (Some(explained), Some(object)) = (explained, document.as_object_mut()) {
        object.insert("explain".to_owned(), explained);
    }
    Ok(document)
}
