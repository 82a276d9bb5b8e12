//! `verifyd inspect`: the plan processing would run for an ID (ID verification) or an ID and a
//! selfie (ID and identity verification), run over an execution that lives in memory only,
//! through the same steps, analysers and rules, on the day the caller's clock gives. Nothing
//! earlier is compared with (no other accounts, no challenges) and nothing is kept.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::inputs::Inputs;
use super::plan::Plan;
use super::{execute, Setting};
use crate::analysers::{Analysers, PartImage};
use crate::error::DomainError;
use crate::model::{
    ApiOptions, CapabilityResult, Category, ExecutionApi, ExecutionCredential, ExecutionStatus,
    Preset, WebSettings, WorkflowExecution,
};
use crate::rules::workflow_definition::for_inspection;

/// What `verifyd inspect` is given: an ID's images and, optionally, a selfie.
pub struct Inspection {
    pub id: Vec<PartImage>,
    pub selfie: Option<PartImage>,
    pub country: Option<Preset>,
    pub id_type: Option<Preset>,
    /// The moment of the inspection: the day documents are checked against (expiry, age).
    pub now: DateTime<Utc>,
}

fn credential_for_inspection(
    category: Category,
    position: u16,
    presets: (Option<Preset>, Option<Preset>),
    now: DateTime<Utc>,
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
/// The capabilities processing would report for an ID (and a selfie), without a server.
pub async fn inspect_id(
    analysers: &Analysers,
    inspection: Inspection,
) -> Result<Vec<CapabilityResult>, DomainError> {
    let Inspection {
        id: images,
        selfie,
        country,
        id_type,
        now,
    } = inspection;
    let key = for_inspection(selfie.is_some()).ok_or_else(|| {
        DomainError::Internal("no workflow definition runs what inspect needs".to_owned())
    })?;
    let execution = WorkflowExecution {
        id: Uuid::nil(),
        account_id: Uuid::nil(),
        tenant_id: Uuid::nil(),
        definition_key: key,
        api: ExecutionApi::Kyx,
        status: ExecutionStatus::Acquired,
        customer_internal_reference: String::new(),
        user_reference: None,
        reporting_criteria: None,
        callback_url: None,
        web: WebSettings::default(),
        user_consent: None,
        screening_properties: None,
        options: ApiOptions::default(),
        token_expires_at: now,
        session_expires_at: None,
        created_at: now,
        started_at: Some(now),
        acquired_at: Some(now),
        completed_at: None,
        outcome: None,
    };
    let id = credential_for_inspection(Category::Id, 0, (country, id_type), now);
    let mut loaded = HashMap::from([(id.credential.id, Some(images))]);
    let mut credentials = vec![id];
    if let Some(selfie) = selfie {
        let person = credential_for_inspection(Category::Selfie, 1, (None, None), now);
        loaded.insert(person.credential.id, Some(vec![selfie]));
        credentials.push(person);
    }
    let inputs = Inputs {
        credentials,
        parts: Vec::new(),
        images: loaded,
        prepared: HashMap::new(),
        accepted: None,
    };
    let setting = Setting {
        analysers,
        execution: &execution,
        today: now.date_naive(),
        stores: None,
    };
    Ok(execute(&setting, &Plan::of(key, false), inputs)
        .await?
        .results)
}
