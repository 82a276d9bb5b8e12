//! Every href in a response, built from the configured public base URL.

use std::collections::BTreeMap;

use uuid::Uuid;
use verifyd_domain::model::{Category, Classifier, ClassifierRules};

#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// `path` (as the domain records it, from the root) on this server.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn account(&self, account: Uuid) -> String {
        format!("{}/api/v1/accounts/{account}", self.base)
    }

    pub fn workflow_execution(&self, account: Uuid, execution: Uuid) -> String {
        format!("{}/workflow-executions/{execution}", self.account(account))
    }

    /// Where the API channel uploads a part.
    pub fn acquisition_part(
        &self,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
        classifier: Classifier,
    ) -> String {
        format!(
            "{}/credentials/{credential}/parts/{classifier}",
            self.workflow_execution(account, execution)
        )
    }

    /// The upload href of every part a credential of `category` announces, by part key.
    pub fn acquisition_parts(
        &self,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
        category: Category,
    ) -> BTreeMap<String, String> {
        Classifier::announced_for(category)
            .iter()
            .map(|classifier| {
                (
                    classifier.key(),
                    self.acquisition_part(account, execution, credential, *classifier),
                )
            })
            .collect()
    }

    /// Where retrieval downloads a part.
    pub fn retrieval_part(
        &self,
        account: Uuid,
        credential: Uuid,
        classifier: Classifier,
    ) -> String {
        format!(
            "{}/credentials/{credential}/parts/{classifier}",
            self.account(account)
        )
    }

    /// A netverify transaction in the retrieval API.
    pub fn scan(&self, reference: Uuid) -> String {
        format!("{}/api/netverify/v2/scans/{reference}", self.base)
    }

    /// One image of a netverify transaction (front, back, face).
    pub fn scan_image(&self, reference: Uuid, classifier: &str) -> String {
        format!("{}/images/{classifier}", self.scan(reference))
    }

    pub fn scan_liveness_image(&self, reference: Uuid, number: u16) -> String {
        format!("{}/images/liveness/{number}", self.scan(reference))
    }

    /// The Document Verification web client's page for a transaction (`clientRedirectUrl`).
    pub fn document_client(&self, initiation_token: &str) -> String {
        format!(
            "{}/api/netverify/v2/acquisitions?initiationToken={initiation_token}",
            self.base
        )
    }

    /// Where the Document Verification web client finalizes, under which it uploads.
    pub fn document_client_acquisition(&self, reference: Uuid) -> String {
        format!("{}/api/v1/web/acquisitions/{reference}", self.base)
    }

    pub fn web(&self, authorization_token: &str, locale: Option<&str>) -> String {
        let mut href = format!(
            "{}/web/v4/app?authorizationToken={authorization_token}",
            self.base
        );
        if let Some(locale) = locale {
            href.push_str("&locale=");
            href.push_str(locale);
        }
        href
    }
}
