//! Acquisition: parts upload, replacement and deletion, and finalization.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use verifyd_types::{ErrorCode, PreparedData};

use super::{require, Verifyd};
use crate::blob_store::keys;
use crate::error::{DomainError, Resource};
use crate::inspector::InspectedPart;
use crate::model::{
    AcquisitionClosed, CallbackGranularity, Caller, Channel, Classifier, ClassifierRules,
    ExecutionCredential, ExecutionStatus, MediaType, Part, Scope, WorkflowExecution,
};
use crate::random::new_id;
use crate::repository::{DeleteOutcome, Job, PutOutcome, SessionTouch};
use crate::rules::{prepared_data, FieldError};

/// A workflow token's grant: one execution of one account, through one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowGrant {
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    pub execution_id: Uuid,
    pub channel: Channel,
}

/// Who acquires: a workflow token, or the tenant's own credentials acting as the API channel.
#[derive(Debug, Clone)]
pub enum Acquirer {
    Workflow(WorkflowGrant),
    Tenant(Caller),
}

impl Acquirer {
    pub(super) fn tenant_id(&self) -> Uuid {
        match self {
            Acquirer::Workflow(grant) => grant.tenant_id,
            Acquirer::Tenant(caller) => caller.tenant_id,
        }
    }

    fn channel(&self) -> Channel {
        match self {
            Acquirer::Workflow(grant) => grant.channel,
            Acquirer::Tenant(_) => Channel::Api,
        }
    }
}

#[derive(Debug, Clone)]
pub enum PartContent {
    File(Bytes),
    PreparedData(Box<PreparedData>),
}

/// POST adds a part that must not exist yet; PUT stores it whether or not it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadMode {
    Add,
    Replace,
}

/// Where a part goes: the path of the parts endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartAddress {
    pub account: Uuid,
    pub execution: Uuid,
    pub credential: Uuid,
    pub classifier: Classifier,
}

#[derive(Debug, Clone)]
pub struct UploadReceipt {
    pub execution: WorkflowExecution,
    pub credential: ExecutionCredential,
    pub classifier: Classifier,
}

impl Verifyd {
    /// Everything `upload_part` checks before it looks at the content (access, execution state,
    /// credential, classifier), so that the server can refuse before reading a large body.
    pub async fn check_upload(
        &self,
        acquirer: &Acquirer,
        address: PartAddress,
    ) -> Result<(), DomainError> {
        let (_, target) = self
            .acquirable(
                acquirer,
                address.account,
                address.execution,
                address.credential,
                self.clock.now(),
            )
            .await?;
        allowed(address.classifier, &target)
    }

    pub async fn upload_part(
        &self,
        acquirer: &Acquirer,
        address: PartAddress,
        content: PartContent,
        mode: UploadMode,
    ) -> Result<UploadReceipt, DomainError> {
        let PartAddress {
            account,
            execution,
            credential,
            classifier,
        } = address;
        let now = self.clock.now();
        let (execution, target) = self
            .acquirable(acquirer, account, execution, credential, now)
            .await?;
        allowed(classifier, &target)?;
        let (bytes, inspected) = self.check_content(classifier, content).await?;
        if classifier == Classifier::Facemap {
            if let Err(error) = self.open_facemap(execution.tenant_id, &bytes).await? {
                return Err(DomainError::Invalid {
                    code: ErrorCode::InvalidFacemap,
                    message: format!("{error}: upload a facemap this server issued to you"),
                });
            }
        }
        if mode == UploadMode::Add
            && self
                .repository
                .part(credential, classifier)
                .await?
                .is_some()
        {
            return Err(part_exists(classifier));
        }
        self.store_part(
            &execution,
            credential,
            classifier,
            (bytes, inspected),
            mode,
            now,
        )
        .await?;
        Ok(UploadReceipt {
            execution,
            credential: target,
            classifier,
        })
    }

    /// Stores checked content as a part of an open execution: the blob, then the record.
    pub(super) async fn store_part(
        &self,
        execution: &WorkflowExecution,
        credential: Uuid,
        classifier: Classifier,
        (bytes, inspected): (Bytes, InspectedPart),
        mode: UploadMode,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let key = keys::part(
            execution.tenant_id,
            execution.account_id,
            credential,
            &classifier.to_string(),
            new_id(self.random.as_ref()),
        );
        let part = Part {
            credential_id: credential,
            classifier,
            blob_key: key.clone(),
            media_type: inspected.media_type,
            size_bytes: bytes.len() as u64,
            width: inspected.width,
            height: inspected.height,
            created_at: now,
        };
        self.blobs.put(&key, bytes).await?;
        match self
            .repository
            .put_part(&part, mode == UploadMode::Add, &self.touch(execution, now))
            .await
        {
            Ok(PutOutcome::Stored { replaced }) => {
                if let Some(old) = replaced {
                    self.forget_blob(&old.blob_key).await;
                }
                Ok(())
            }
            Ok(PutOutcome::ExecutionClosed) => {
                self.forget_blob(&key).await;
                Err(self.why_closed(execution, now).await)
            }
            Ok(PutOutcome::AlreadyExists) => {
                self.forget_blob(&key).await;
                Err(part_exists(classifier))
            }
            Err(error) => {
                self.forget_blob(&key).await;
                Err(error.into())
            }
        }
    }

    /// Deletes one part (`Some`) or every part of the credential (`None`).
    pub async fn delete_parts(
        &self,
        acquirer: &Acquirer,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
        classifier: Option<Classifier>,
    ) -> Result<WorkflowExecution, DomainError> {
        let now = self.clock.now();
        let (execution, _) = self
            .acquirable(acquirer, account, execution, credential, now)
            .await?;
        match self
            .repository
            .delete_parts(credential, classifier, &self.touch(&execution, now))
            .await?
        {
            DeleteOutcome::ExecutionClosed => Err(self.why_closed(&execution, now).await),
            DeleteOutcome::Deleted(parts) if parts.is_empty() && classifier.is_some() => {
                Err(DomainError::NotFound(Resource::Part))
            }
            DeleteOutcome::Deleted(parts) => {
                for part in parts {
                    self.forget_blob(&part.blob_key).await;
                }
                Ok(execution)
            }
        }
    }

    /// Ends acquisition: INITIATED -> ACQUIRED, and processing is due.
    pub async fn finalize(
        &self,
        acquirer: &Acquirer,
        account: Uuid,
        execution: Uuid,
    ) -> Result<WorkflowExecution, DomainError> {
        let now = self.clock.now();
        let execution = self
            .open_execution(acquirer, account, execution, now)
            .await?;
        let credentials = self.repository.execution_credentials(execution.id).await?;
        let channel = acquirer.channel();
        if !credentials
            .iter()
            .any(|c| c.allowed_channels.contains(&channel))
        {
            return Err(channel_not_allowed(channel));
        }
        let owned: Vec<Uuid> = credentials
            .iter()
            .filter(|c| c.owned_by(execution.id))
            .map(|c| c.credential.id)
            .collect();
        let uploaded = self.repository.parts(&owned).await?;
        if !uploaded
            .iter()
            .any(|part| part.classifier != Classifier::PreparedData)
        {
            return Err(DomainError::Invalid {
                code: ErrorCode::NothingUploaded,
                message: "no image or document was uploaded for this workflow execution".to_owned(),
            });
        }
        let job = Job {
            id: new_id(self.random.as_ref()),
            kind: "process",
            execution_id: execution.id,
            run_at: now,
            created_at: now,
        };
        // performNetverify's onAllSteps: a callback when the images are received, before the
        // one that reports the result.
        let received = match execution.options.callback_granularity {
            CallbackGranularity::OnAllSteps => {
                self.callback_for(&execution, ExecutionStatus::Acquired, now)
                    .await?
            }
            CallbackGranularity::OnFinish => None,
        };
        if !self
            .repository
            .finalize(execution.id, now, &job, received.as_ref())
            .await?
        {
            return Err(closed(AcquisitionClosed::AlreadyFinalized));
        }
        Ok(WorkflowExecution {
            status: crate::model::ExecutionStatus::Acquired,
            acquired_at: Some(now),
            ..execution
        })
    }

    /// Why an execution that was open a moment ago no longer takes acquisition actions: deleted
    /// (404), expired (401) or finalized (409).
    async fn why_closed(&self, execution: &WorkflowExecution, now: DateTime<Utc>) -> DomainError {
        match self
            .repository
            .execution(execution.tenant_id, execution.account_id, execution.id)
            .await
        {
            Ok(None) => DomainError::NotFound(Resource::WorkflowExecution),
            Ok(Some(current)) => match current.acquisition_open(now) {
                Err(reason) => closed(reason),
                Ok(()) => closed(AcquisitionClosed::AlreadyFinalized),
            },
            Err(error) => error.into(),
        }
    }

    /// The execution, if this acquirer may act on it and acquisition is still open.
    pub(super) async fn open_execution(
        &self,
        acquirer: &Acquirer,
        account: Uuid,
        execution: Uuid,
        now: DateTime<Utc>,
    ) -> Result<WorkflowExecution, DomainError> {
        match acquirer {
            Acquirer::Tenant(caller) => require(caller, Scope::Acquire)?,
            Acquirer::Workflow(grant) => {
                if grant.account_id != account || grant.execution_id != execution {
                    return Err(DomainError::Forbidden {
                        code: ErrorCode::TokenNotForThisExecution,
                        message: "this token belongs to another workflow execution".to_owned(),
                    });
                }
            }
        }
        let execution = self
            .repository
            .execution(acquirer.tenant_id(), account, execution)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))?;
        execution.acquisition_open(now).map_err(closed)?;
        Ok(execution)
    }

    /// The open execution and, in it, the credential `acquirer` may capture: what every
    /// acquisition action checks first.
    pub(super) async fn acquirable(
        &self,
        acquirer: &Acquirer,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(WorkflowExecution, ExecutionCredential), DomainError> {
        let execution = self
            .open_execution(acquirer, account, execution, now)
            .await?;
        let target = self
            .acquirable_credential(acquirer, &execution, credential)
            .await?;
        Ok((execution, target))
    }

    async fn acquirable_credential(
        &self,
        acquirer: &Acquirer,
        execution: &WorkflowExecution,
        credential: Uuid,
    ) -> Result<ExecutionCredential, DomainError> {
        let target = self
            .repository
            .execution_credentials(execution.id)
            .await?
            .into_iter()
            .find(|c| c.credential.id == credential)
            .ok_or(DomainError::NotFound(Resource::Credential))?;
        let channel = acquirer.channel();
        if !target.allowed_channels.contains(&channel) || !target.owned_by(execution.id) {
            return Err(channel_not_allowed(channel));
        }
        Ok(target)
    }

    pub(super) async fn check_content(
        &self,
        classifier: Classifier,
        content: PartContent,
    ) -> Result<(Bytes, InspectedPart), DomainError> {
        match (classifier.format(), content) {
            (None, PartContent::PreparedData(data)) => {
                prepared_data::validate(&data)?;
                let bytes = serde_json::to_vec(&data)
                    .map_err(|error| FieldError::new("body", error.to_string()))?;
                let inspected = InspectedPart {
                    media_type: MediaType::Json,
                    width: None,
                    height: None,
                    length: bytes.len(),
                };
                Ok((Bytes::from(bytes), inspected))
            }
            (Some(format), PartContent::File(bytes)) => {
                if bytes.len() > self.policy.max_upload_bytes {
                    return Err(crate::inspector::PartRejection::TooLarge {
                        size: bytes.len(),
                        max: self.policy.max_upload_bytes,
                    }
                    .into());
                }
                let inspected = self.inspector.inspect(format, bytes.clone()).await?;
                let kept = bytes.slice(..inspected.length.min(bytes.len()));
                Ok((kept, inspected))
            }
            (None, PartContent::File(_)) => Err(DomainError::Invalid {
                code: ErrorCode::ExpectedJson,
                message: "PREPARED_DATA is sent as a JSON body (Content-Type: application/json)"
                    .to_owned(),
            }),
            (Some(_), PartContent::PreparedData(_)) => Err(DomainError::Invalid {
                code: ErrorCode::ExpectedFile,
                message: format!(
                    "{classifier} is sent as multipart/form-data with a field named file"
                ),
            }),
        }
    }

    fn touch(&self, execution: &WorkflowExecution, now: DateTime<Utc>) -> SessionTouch {
        SessionTouch {
            execution: execution.id,
            now,
            session_expires_at: now + self.policy.session_timeout,
        }
    }

    /// Removes a blob nothing references any more; a failure leaves an orphan, never lost data.
    async fn forget_blob(&self, key: &str) {
        if let Err(error) = self.blobs.delete(key).await {
            tracing::warn!(%error, "could not delete an unreferenced blob");
        }
    }
}

fn allowed(classifier: Classifier, target: &ExecutionCredential) -> Result<(), DomainError> {
    if classifier.allowed_for(target.credential.category) {
        return Ok(());
    }
    Err(FieldError::new(
        "classifier",
        format!(
            "{classifier} is not a part of a {} credential",
            target.credential.category
        ),
    )
    .into())
}

fn part_exists(classifier: Classifier) -> DomainError {
    DomainError::Conflict {
        code: ErrorCode::PartExists,
        message: format!(
            "{classifier} was already uploaded; replace it with PUT or delete it first"
        ),
    }
}

fn channel_not_allowed(channel: Channel) -> DomainError {
    DomainError::Forbidden {
        code: ErrorCode::ChannelNotAllowed,
        message: format!(
            "this credential cannot be acquired through the {} channel",
            channel.as_str()
        ),
    }
}

fn closed(reason: AcquisitionClosed) -> DomainError {
    match reason {
        AcquisitionClosed::TokenExpired => DomainError::TokenExpired,
        AcquisitionClosed::SessionExpired => DomainError::SessionExpired,
        AcquisitionClosed::AlreadyFinalized => DomainError::Conflict {
            code: ErrorCode::AcquisitionClosed,
            message: "this workflow execution is no longer acquiring (finalized or expired)"
                .to_owned(),
        },
    }
}
