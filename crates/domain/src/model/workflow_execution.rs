//! A workflow execution: one transaction of one workflow definition on an account.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::rules::workflow_definition::WorkflowKey;

/// The status lifecycle: INITIATED -> ACQUIRED -> PROCESSED, or one of the two expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecutionStatus {
    Initiated,
    Acquired,
    Processed,
    SessionExpired,
    TokenExpired,
}

impl ExecutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Initiated => "INITIATED",
            ExecutionStatus::Acquired => "ACQUIRED",
            ExecutionStatus::Processed => "PROCESSED",
            ExecutionStatus::SessionExpired => "SESSION_EXPIRED",
            ExecutionStatus::TokenExpired => "TOKEN_EXPIRED",
        }
    }
}

impl fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExecutionStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "INITIATED" => ExecutionStatus::Initiated,
            "ACQUIRED" => ExecutionStatus::Acquired,
            "PROCESSED" => ExecutionStatus::Processed,
            "SESSION_EXPIRED" => ExecutionStatus::SessionExpired,
            "TOKEN_EXPIRED" => ExecutionStatus::TokenExpired,
            other => return Err(format!("unknown workflow execution status {other:?}")),
        })
    }
}

/// Which API started the execution. It decides the shape of the callback, the names of the
/// redirect parameters, and which retrieval and deletion endpoints serve the execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExecutionApi {
    /// The KYX platform API (`POST /api/v1/accounts`).
    #[default]
    Kyx,
    /// The older netverify API (`POST /api/v4/initiate`).
    NetverifyV4,
}

impl ExecutionApi {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionApi::Kyx => "KYX",
            ExecutionApi::NetverifyV4 => "NETVERIFY_V4",
        }
    }
}

impl FromStr for ExecutionApi {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "KYX" => Ok(ExecutionApi::Kyx),
            "NETVERIFY_V4" => Ok(ExecutionApi::NetverifyV4),
            other => Err(format!("unknown execution API {other:?}")),
        }
    }
}

/// How the web client may capture images: netverify's `workflowId` 1x0 / 1x1 / 1x2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CaptureMethod {
    #[default]
    CameraAndUpload,
    CameraOnly,
    UploadOnly,
}

impl CaptureMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMethod::CameraAndUpload => "CAMERA_AND_UPLOAD",
            CaptureMethod::CameraOnly => "CAMERA_ONLY",
            CaptureMethod::UploadOnly => "UPLOAD_ONLY",
        }
    }
}

impl FromStr for CaptureMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "CAMERA_AND_UPLOAD" => Ok(CaptureMethod::CameraAndUpload),
            "CAMERA_ONLY" => Ok(CaptureMethod::CameraOnly),
            "UPLOAD_ONLY" => Ok(CaptureMethod::UploadOnly),
            other => Err(format!("unknown capture method {other:?}")),
        }
    }
}

/// Where the web client sends the user afterwards, in which language it speaks, and how it may
/// capture images.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSettings {
    pub success_url: Option<String>,
    pub error_url: Option<String>,
    pub locale: Option<String>,
    pub capture_method: CaptureMethod,
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
