//! A workflow execution: one transaction of one workflow definition on an account.

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use verifyd_types::values::{
    CallbackGranularity, CaptureMethod, EnabledField, ExecutionApi, ExecutionStatus,
};

use crate::rules::workflow_definition::WorkflowKey;

/// Where the web client sends the user afterwards, in which language it speaks, and how it may
/// capture images.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSettings {
    pub success_url: Option<String>,
    pub error_url: Option<String>,
    pub locale: Option<String>,
    pub capture_method: CaptureMethod,
}

/// performNetverify's processing options; every other API leaves them at their default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiOptions {
    /// `enabledFields`: None processes every field.
    pub enabled_fields: Option<Vec<EnabledField>>,
    pub callback_granularity: CallbackGranularity,
}

impl ApiOptions {
    /// Whether `field` is extracted and compared.
    pub fn enabled(&self, field: EnabledField) -> bool {
        self.enabled_fields
            .as_ref()
            .is_none_or(|fields| fields.contains(&field))
    }

    /// The stored form of `enabled_fields`: the names, comma-separated.
    pub fn enabled_fields_column(&self) -> Option<String> {
        self.enabled_fields.as_ref().map(|fields| {
            fields
                .iter()
                .map(|field| field.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
    }

    /// Read back from the columns `enabled_fields_column` and `callback_granularity` wrote.
    pub fn from_columns(enabled_fields: Option<&str>, granularity: &str) -> Result<Self, String> {
        let enabled_fields = enabled_fields
            .map(|names| {
                names
                    .split(',')
                    .filter(|name| !name.is_empty())
                    .map(|name| {
                        EnabledField::parse(name)
                            .ok_or_else(|| format!("unknown enabled field {name:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let callback_granularity = CallbackGranularity::parse(granularity)
            .ok_or_else(|| format!("unknown callback granularity {granularity:?}"))?;
        Ok(Self {
            enabled_fields,
            callback_granularity,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowExecution {
    pub id: Uuid,
    pub account_id: Uuid,
    pub tenant_id: Uuid,
    pub definition_key: WorkflowKey,
    pub api: ExecutionApi,
    pub status: ExecutionStatus,
    pub customer_internal_reference: String,
    pub user_reference: Option<String>,
    pub reporting_criteria: Option<String>,
    pub callback_url: Option<String>,
    pub web: WebSettings,
    /// The request's `userConsent`, as sent (validated).
    pub user_consent: Option<serde_json::Value>,
    pub screening_properties: Option<String>,
    pub options: ApiOptions,
    /// Until then the workflow tokens may start acquisition.
    pub token_expires_at: DateTime<Utc>,
    /// Set when acquisition starts; every accepted action pushes it 15 minutes ahead.
    pub session_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub acquired_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Capabilities and decision, written by processing.
    pub outcome: Option<serde_json::Value>,
}

/// Why acquisition may not happen now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcquisitionClosed {
    TokenExpired,
    SessionExpired,
    AlreadyFinalized,
}

impl WorkflowExecution {
    /// The decision an expired execution reports: NOT_EXECUTED with its expiry (TOKEN_EXPIRED
    /// or SESSION_EXPIRED) as label and risk -1, as the specification scores what was not
    /// executed. None for any other status: its decision is what processing recorded.
    pub fn expiry_decision(&self) -> Option<super::OverallDecision> {
        let label = match self.status {
            ExecutionStatus::TokenExpired => super::Label::TokenExpired,
            ExecutionStatus::SessionExpired => super::Label::SessionExpired,
            _ => return None,
        };
        Some(super::OverallDecision {
            decision: super::DecisionType::NotExecuted,
            label,
            risk_score: -1,
        })
    }

    /// Acquisition is open while the execution is INITIATED and, before it started, the token
    /// lifetime has not run out, or, after, the session has not been idle too long.
    pub fn acquisition_open(&self, now: DateTime<Utc>) -> Result<(), AcquisitionClosed> {
        match self.status {
            ExecutionStatus::Initiated => {}
            ExecutionStatus::TokenExpired => return Err(AcquisitionClosed::TokenExpired),
            ExecutionStatus::SessionExpired => return Err(AcquisitionClosed::SessionExpired),
            ExecutionStatus::Acquired | ExecutionStatus::Processed => {
                return Err(AcquisitionClosed::AlreadyFinalized)
            }
        }
        match self.session_expires_at {
            Some(session_end) if now >= session_end => Err(AcquisitionClosed::SessionExpired),
            Some(_) => Ok(()),
            None if now >= self.token_expires_at => Err(AcquisitionClosed::TokenExpired),
            None => Ok(()),
        }
    }
}
