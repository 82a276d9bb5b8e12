//! Every href in a response, built from the configured public base URL.

use uuid::Uuid;
use verifyd_domain::model::Classifier;

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
