//! Requests as an integration sends them: the tenant's Basic credentials, a workflow token, a
//! multipart upload; and the calls most tests begin with.

use anyhow::Result;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use verifyd_server::admin::{self, IssuedCredentials};

use crate::json::{credential, ok_json, text};
use crate::server::TestServer;

impl TestServer {
    /// A request authenticated with the tenant's Basic credentials.
    pub fn tenant(&self, method: Method, path: &str) -> RequestBuilder {
        self.as_client(&self.tenant, method, path)
    }

    /// A request authenticated with other Basic credentials (another tenant, a narrower scope).
    pub fn as_client(
        &self,
        credentials: &IssuedCredentials,
        method: Method,
        path: &str,
    ) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .basic_auth(&credentials.client_id, Some(&credentials.client_secret))
    }

    /// A request authenticated with a bearer token (a workflow's API token, an OAuth2 token).
    pub fn bearer(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    /// Creates another tenant with full credentials.
    pub async fn other_tenant(&self, name: &str) -> Result<IssuedCredentials> {
        Ok(admin::create_tenant(&self.settings, name).await?)
    }

    /// `POST /api/v1/accounts` as the tenant; the response must be 200.
    pub async fn create_account(&self, body: Value) -> Result<Value> {
        let response = self
            .tenant(Method::POST, "/api/v1/accounts")
            .json(&body)
            .send()
            .await?;
        ok_json(response).await
    }

    /// `PUT /api/v1/accounts/{account}` as the tenant; the response must be 200.
    pub async fn update_account(&self, account: &str, body: Value) -> Result<Value> {
        let response = self
            .tenant(Method::PUT, &format!("/api/v1/accounts/{account}"))
            .json(&body)
            .send()
            .await?;
        ok_json(response).await
    }

    /// Uploads `bytes` as the multipart `file` field.
    pub async fn upload(
        &self,
        token: &str,
        method: Method,
        href: &str,
        bytes: Vec<u8>,
        name: &str,
    ) -> Result<Response> {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
        Ok(self
            .bearer(token, method, href)
            .multipart(form)
            .send()
            .await?)
    }

    /// POSTs `bytes` as part `part` of `credential` (an entry of an account response's
    /// credentials) and requires it to be stored.
    pub async fn upload_part(
        &self,
        token: &str,
        credential: &Value,
        part: &str,
        bytes: Vec<u8>,
    ) -> Result<Value> {
        let href = text(credential, &format!("/api/parts/{part}"))?;
        ok_json(self.upload(token, Method::POST, href, bytes, part).await?).await
    }

    /// A workflow 2 execution with `front` uploaded: (account response, api token, execution href).
    pub async fn id_with_front(
        &self,
        body: Value,
        front: Vec<u8>,
    ) -> Result<(Value, String, String)> {
        let account = self.create_account(body).await?;
        let id = credential(&account, "ID")?;
        let token = text(id, "/api/token")?.to_owned();
        self.upload_part(&token, id, "front", front).await?;
        let execution = text(id, "/api/workflowExecution")?.to_owned();
        Ok((account, token, execution))
    }

    /// Finalizes with `token`.
    pub async fn finalize(&self, token: &str, execution: &str) -> Result<()> {
        ok_json(self.bearer(token, Method::PUT, execution).send().await?).await?;
        Ok(())
    }
}

/// Polls `path` until the JSON at `pointer` is `wanted` (processing runs in the background),
/// at most `seconds`.
async fn wait_for(
    server: &TestServer,
    path: &str,
    pointer: &str,
    wanted: &str,
    seconds: u32,
) -> Result<()> {
    for _ in 0..seconds * 10 {
        let body = ok_json(server.tenant(Method::GET, path).send().await?).await?;
        if body.pointer(pointer).is_some_and(|value| value == wanted) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("{path} never became {wanted}")
}

/// Polls a netverify scan's status until it is `wanted`, at most 60 s.
pub async fn wait_for_scan(server: &TestServer, reference: &str, wanted: &str) -> Result<()> {
    let path = format!("/api/netverify/v2/scans/{reference}");
    wait_for(server, &path, "/status", wanted, 60).await
}

/// Polls a Document Verification transaction's status until it is `wanted`, at most 120 s
/// (the OCR reads every page).
pub async fn wait_for_document(server: &TestServer, reference: &str, wanted: &str) -> Result<()> {
    let path = format!("/api/netverify/v2/documents/{reference}");
    wait_for(server, &path, "/status", wanted, 120).await
}

/// Polls the status until it is `wanted` (processing runs in the background), at most 60 s.
pub async fn wait_for_status(server: &TestServer, status_href: &str, wanted: &str) -> Result<()> {
    wait_for(server, status_href, "/workflowExecution/status", wanted, 60).await
}
