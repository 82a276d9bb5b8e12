//! Account creation and update: each starts a new workflow execution.

use uuid::Uuid;
use verifyd_types::netverify::InitiateRequest;
use verifyd_types::AccountRequest;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{
    Account, Caller, Category, Classifier, Credential, ExecutionCredential, ExecutionStatus, Scope,
    WorkflowExecution,
};
use crate::random::new_id;
use crate::repository::{CredentialOnFile, NewExecution};
use crate::rules::initiation::{self, Initiation, PlannedCredential};
use crate::rules::netverify;
use crate::rules::workflow_definition::{keys, Prerequisite};

/// What an initiation created; the server adds the tokens and hrefs.
#[derive(Debug, Clone)]
pub struct Initiated {
    pub account: Account,
    pub execution: WorkflowExecution,
    pub credentials: Vec<ExecutionCredential>,
}

impl Verifyd {
    /// `account` is `None` for account creation and the account's id for an update.
    pub async fn initiate(
        &self,
        caller: &Caller,
        account: Option<Uuid>,
        request: &AccountRequest,
    ) -> Result<Initiated, DomainError> {
        require(caller, Scope::Initiate)?;
        let initiation = initiation::validate(request, self.policy.allow_local_urls)?;
        self.start(caller, account, initiation).await
    }

    /// `POST /api/v4/initiate`: a netverify transaction is a workflow execution on a new account.
    pub async fn initiate_netverify(
        &self,
        caller: &Caller,
        request: &InitiateRequest,
    ) -> Result<Initiated, DomainError> {
        require(caller, Scope::Initiate)?;
        let initiation = netverify::validate(request, self.policy.allow_local_urls)?;
        self.start(caller, None, initiation).await
    }

    pub(super) async fn start(
        &self,
        caller: &Caller,
        account: Option<Uuid>,
        initiation: Initiation,
    ) -> Result<Initiated, DomainError> {
        let definition = initiation.key.definition();
        let now = self.clock.now();

        let (account, account_is_new) = match account {
            Some(id) => {
                let mut existing = self
                    .repository
                    .account(caller.tenant_id, id)
                    .await?
                    .ok_or(DomainError::NotFound(Resource::Account))?;
                existing.updated_at = now;
                (existing, false)
            }
            None if definition.needs_existing_account => {
                return Err(DomainError::PrerequisiteNotMet(format!(
                    "workflow {} runs on an existing account: use account update (PUT /api/v1/accounts/{{accountId}})",
                    initiation.key
                )))
            }
            None => (
                Account {
                    id: new_id(self.random.as_ref()),
                    tenant_id: caller.tenant_id,
                    created_at: now,
                    updated_at: now,
                },
                true,
            ),
        };

        let on_file = if account_is_new {
            Vec::new()
        } else {
            self.repository
                .account_credentials(caller.tenant_id, account.id)
                .await?
        };
        check_prerequisite(definition.prerequisite, &initiation, &on_file)?;

        let execution_id = new_id(self.random.as_ref());
        let credentials = initiation
            .credentials
            .iter()
            .zip(0u32..)
            .map(|(planned, position)| {
                let credential = match planned.on_file {
                    Some(id) => on_file
                        .iter()
                        .find(|existing| existing.credential.id == id)
                        .map(|existing| existing.credential.clone())
                        .ok_or(DomainError::NotFound(Resource::Credential))?,
                    None => self.new_credential(caller, &account, execution_id, planned),
                };
                Ok(ExecutionCredential {
                    credential,
                    position,
                    allowed_channels: planned.allowed_channels.clone(),
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;

        let execution = WorkflowExecution {
            id: execution_id,
            account_id: account.id,
            tenant_id: caller.tenant_id,
            definition_key: initiation.key,
            api: initiation.api,
            status: ExecutionStatus::Initiated,
            customer_internal_reference: initiation.customer_internal_reference,
            user_reference: initiation.user_reference,
            reporting_criteria: initiation.reporting_criteria,
            callback_url: initiation.callback_url,
            web: initiation.web,
            user_consent: initiation.user_consent,
            screening_properties: initiation.screening_properties,
            options: initiation.options,
            token_expires_at: now + initiation.token_lifetime,
            session_expires_at: None,
            created_at: now,
            started_at: None,
            acquired_at: None,
            completed_at: None,
            outcome: None,
        };
        let new = NewExecution {
            account,
            account_is_new,
            execution,
            credentials,
        };
        match self.repository.insert_execution(&new).await {
            Ok(()) => {}
            // The account (or the credential on file) was deleted while this request ran.
            Err(
                crate::repository::RepositoryError::Conflict(_)
                | crate::repository::RepositoryError::Gone,
            ) => return Err(DomainError::NotFound(Resource::Account)),
            Err(error) => return Err(error.into()),
        }
        Ok(Initiated {
            account: new.account,
            execution: new.execution,
            credentials: new.credentials,
        })
    }

    fn new_credential(
        &self,
        caller: &Caller,
        account: &Account,
        execution: Uuid,
        planned: &PlannedCredential,
    ) -> Credential {
        Credential {
            id: new_id(self.random.as_ref()),
            tenant_id: caller.tenant_id,
            account_id: account.id,
            execution_id: execution,
            category: planned.category,
            country: planned.country.clone(),
            id_type: planned.id_type.clone(),
            chosen: None,
            created_at: account.updated_at,
        }
    }
}

fn check_prerequisite(
    prerequisite: Prerequisite,
    initiation: &Initiation,
    on_file: &[CredentialOnFile],
) -> Result<(), DomainError> {
    match prerequisite {
        Prerequisite::None => Ok(()),
        Prerequisite::IdOnFile => {
            for id in initiation.credentials.iter().filter_map(|c| c.on_file) {
                let usable = on_file.iter().any(|existing| {
                    existing.credential.id == id
                        && existing.credential.category == Category::Id
                        && matches!(
                            existing.execution_status,
                            ExecutionStatus::Acquired | ExecutionStatus::Processed
                        )
                        && existing.classifiers.contains(&Classifier::Front)
                });
                if !usable {
                    return Err(DomainError::PrerequisiteNotMet(format!(
                        "credential {id} is not an ID of this account that an earlier workflow execution acquired (front image uploaded and finalized)"
                    )));
                }
            }
            Ok(())
        }
        Prerequisite::FacemapOnFile => {
            let has_facemap = on_file.iter().any(|existing| {
                existing.credential.category == Category::Facemap
                    && existing.execution_status == ExecutionStatus::Processed
                    && existing.definition_key.definition().steps.liveness
                    && existing.classifiers.contains(&Classifier::Facemap)
            });
            if has_facemap {
                Ok(())
            } else {
                Err(DomainError::PrerequisiteNotMet(format!(
                    "workflow {} needs a facemap on file: this account has none from a processed workflow {} with a passed liveness",
                    initiation.key,
                    keys(|definition| definition.steps.liveness)
                )))
            }
        }
    }
}
