//! The domain's one error type. The server maps each variant to an HTTP status and a stable code;
//! the variants whose code depends on the rule broken carry it (`ErrorCode`, the wire's closed set).

use verifyd_types::ErrorCode;

use crate::blob_store::BlobError;
use crate::inspector::PartRejection;
use crate::repository::RepositoryError;
use crate::rules::FieldError;
use crate::sealed_secret::SealError;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A request field breaks a rule.
    #[error(transparent)]
    InvalidField(#[from] FieldError),
    /// The thing does not exist for this tenant (or was deleted). Other tenants' data is
    /// reported the same way, so existence never leaks across tenants.
    #[error("{0} not found")]
    NotFound(Resource),
    /// The caller is authenticated but may not do this.
    #[error("{message}")]
    Forbidden { code: ErrorCode, message: String },
    /// The request is well-formed but cannot be carried out as asked.
    #[error("{message}")]
    Invalid { code: ErrorCode, message: String },
    /// The request conflicts with the current state.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// The workflow's prerequisites (an ID or facemap on file, an existing account) are not met.
    #[error("{0}")]
    PrerequisiteNotMet(String),
    /// The workflow token ran out before acquisition started, or a Document Verification
    /// link's token ran out.
    #[error("the token has expired")]
    TokenExpired,
    /// A Document Verification link's token that opens no transaction.
    #[error("the initiation token is not valid")]
    InvalidToken,
    /// Acquisition started but was idle for longer than the session timeout.
    #[error("the acquisition session has expired")]
    SessionExpired,
    /// An uploaded file was refused.
    #[error(transparent)]
    PartRejected(#[from] PartRejection),
    /// An image sent inside a JSON body (performNetverify) was refused as an upload would be;
    /// `field` names it.
    #[error("{field}: {rejection}")]
    ImageRejected {
        field: String,
        rejection: PartRejection,
    },
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    #[error(transparent)]
    BlobStore(#[from] BlobError),
    /// A server secret in the database does not open (another master key, or altered): a
    /// start error, never a reason to make a new secret.
    #[error(transparent)]
    ServerSecret(#[from] SealError),
    /// A fault of verifyd itself (a corrupt secret, say): an opaque 500, the cause logged.
    #[error("internal error: {0}")]
    Internal(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Tenant,
    Account,
    WorkflowExecution,
    Credential,
    Part,
    /// A netverify transaction (scan, authentication or document verification).
    Transaction,
    /// A watchlist screening search (`searchResultUrl`).
    ScreeningSearch,
}

impl Resource {
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Tenant => "tenant",
            Resource::Account => "account",
            Resource::WorkflowExecution => "workflow execution",
            Resource::Credential => "credential",
            Resource::Part => "part",
            Resource::Transaction => "transaction",
            Resource::ScreeningSearch => "screening search",
        }
    }
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
