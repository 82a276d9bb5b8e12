//! The netverify retrieval and delete APIs over workflow executions. A transaction reference is
//! the id of the workflow execution; a v4 transaction owns the account it created, so deleting
//! the scan deletes that account.

use bytes::Bytes;
use uuid::Uuid;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{Caller, Category, Classifier, Part, Scope, WorkflowExecution};
use crate::netverify::ScanReport;

/// Which transactions each delete endpoint of the netverify API reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionKind {
    /// `/scans/{ref}`: ID Verification transactions started with `POST /api/v4/initiate` or
    /// `POST /api/netverify/v2/performNetverify`.
    Scan,
    /// `/authentications/{ref}`: workflows 9 and 16.
    Authentication,
    /// `/documents/{ref}`: executions that acquire a DOCUMENT credential.
    Document,
}

impl Verifyd {
    /// The execution behind a v4 transaction reference of this tenant.
    async fn scan_execution(
        &self,
        caller: &Caller,
        reference: Uuid,
    ) -> Result<WorkflowExecution, DomainError> {
        self.repository
            .execution_by_id(reference)
            .await?
            .filter(|execution| {
                execution.tenant_id == caller.tenant_id && execution.api.is_netverify_scan()
            })
            .ok_or(DomainError::NotFound(Resource::Transaction))
    }

    pub async fn scan(&self, caller: &Caller, reference: Uuid) -> Result<ScanReport, DomainError> {
        require(caller, Scope::Retrieve)?;
        let execution = self.scan_execution(caller, reference).await?;
        let details = self
            .execution_details(caller, execution.account_id, execution.id)
            .await?;
        Ok(ScanReport::new(&details))
    }

    /// The report a netverify callback carries; None once the transaction is deleted.
    pub async fn scan_for_callback(
        &self,
        execution: Uuid,
    ) -> Result<Option<ScanReport>, DomainError> {
        let Some(found) = self.repository.execution_by_id(execution).await? else {
            return Ok(None);
        };
        let details = self.details_of(found).await?;
        Ok(Some(ScanReport::new(&details)))
    }

    /// One image of a v4 transaction, by its netverify classifier (front, back, face).
    pub async fn scan_image(
        &self,
        caller: &Caller,
        reference: Uuid,
        classifier: &str,
    ) -> Result<(Part, Bytes), DomainError> {
        let report = self.scan(caller, reference).await?;
        let (_, credential, classifier) = report
            .images
            .iter()
            .find(|(name, _, _)| *name == classifier)
            .copied()
            .ok_or(DomainError::NotFound(Resource::Part))?;
        self.part_content(caller, report.execution.account_id, credential, classifier)
            .await
    }

    /// The liveness challenge's frame `number`, as the web client uploaded it.
    pub async fn scan_liveness_image(
        &self,
        caller: &Caller,
        reference: Uuid,
        number: u16,
    ) -> Result<(Part, Bytes), DomainError> {
        let report = self.scan(caller, reference).await?;
        let credential = report
            .liveness
            .iter()
            .find(|(frame, _)| *frame == number)
            .map(|(_, credential)| *credential)
            .ok_or(DomainError::NotFound(Resource::Part))?;
        self.part_content(
            caller,
            report.execution.account_id,
            credential,
            Classifier::Liveness(number),
        )
        .await
    }

    pub async fn delete_transaction(
        &self,
        caller: &Caller,
        kind: TransactionKind,
        reference: Uuid,
    ) -> Result<(), DomainError> {
        require(caller, Scope::Delete)?;
        if kind == TransactionKind::Document
            && self.delete_document_verification(caller, reference).await?
        {
            return Ok(());
        }
        let not_found = DomainError::NotFound(Resource::Transaction);
        let execution = self
            .repository
            .execution_by_id(reference)
            .await?
            .filter(|execution| execution.tenant_id == caller.tenant_id)
            .ok_or(DomainError::NotFound(Resource::Transaction))?;
        let reaches = match kind {
            TransactionKind::Scan => execution.api.is_netverify_scan(),
            TransactionKind::Authentication => {
                execution.definition_key.definition().steps.authentication
            }
            TransactionKind::Document => self
                .repository
                .execution_credentials(execution.id)
                .await?
                .iter()
                .any(|c| c.credential.category == Category::Document),
        };
        if !reaches {
            return Err(not_found);
        }
        let deleted = if kind == TransactionKind::Scan {
            self.delete_account(caller, execution.account_id).await
        } else {
            self.delete_execution(caller, execution.account_id, execution.id)
                .await
        };
        deleted.map_err(|error| match error {
            DomainError::NotFound(_) => DomainError::NotFound(Resource::Transaction),
            other => other,
        })
    }
}
