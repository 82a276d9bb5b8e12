//! The lifecycle of a workflow execution, and how it was started.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The status lifecycle: INITIATED -> ACQUIRED -> PROCESSED, or one of the two expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
pub enum ExecutionApi {
    /// The KYX platform API (`POST /api/v1/accounts`).
    #[default]
    #[serde(rename = "KYX")]
    Kyx,
    /// The older netverify API (`POST /api/v4/initiate`).
    #[serde(rename = "NETVERIFY_V4")]
    NetverifyV4,
    /// The netverify API's server-to-server submission
    /// (`POST /api/netverify/v2/performNetverify`): a scan like a v4 one, its source `API`.
    #[serde(rename = "PERFORM_NETVERIFY")]
    PerformNetverify,
    /// Never an execution's: the callback of a Document Verification transaction
    /// (`/api/netverify/v2/acquisitions`), form-encoded with its document and transaction.
    #[serde(rename = "DOCUMENT_VERIFICATION")]
    DocumentVerification,
}

impl ExecutionApi {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionApi::Kyx => "KYX",
            ExecutionApi::NetverifyV4 => "NETVERIFY_V4",
            ExecutionApi::PerformNetverify => "PERFORM_NETVERIFY",
            ExecutionApi::DocumentVerification => "DOCUMENT_VERIFICATION",
        }
    }

    /// A netverify scan: read by the v2 scans API, reported by the form callback.
    pub fn is_netverify_scan(self) -> bool {
        match self {
            ExecutionApi::Kyx | ExecutionApi::DocumentVerification => false,
            ExecutionApi::NetverifyV4 | ExecutionApi::PerformNetverify => true,
        }
    }
}

impl FromStr for ExecutionApi {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "KYX" => Ok(ExecutionApi::Kyx),
            "NETVERIFY_V4" => Ok(ExecutionApi::NetverifyV4),
            "PERFORM_NETVERIFY" => Ok(ExecutionApi::PerformNetverify),
            "DOCUMENT_VERIFICATION" => Ok(ExecutionApi::DocumentVerification),
            other => Err(format!("unknown execution API {other:?}")),
        }
    }
}

/// How the web client may capture images: netverify's `workflowId` 1x0 / 1x1 / 1x2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
