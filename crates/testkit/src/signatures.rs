//! A callback's signature checked as the spec tells a customer to check it: `t=TIMESTAMP,v1=HEX`
//! in the signature header, HEX being the HMAC-SHA256 of `TIMESTAMP.BODY` under the tenant's
//! callback secret.

use hmac::Mac;

/// Whether `header` signs `body` under `secret`.
pub fn signature_verifies(secret: &str, header: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = header.split_once(",v1=") else {
        return false;
    };
    let timestamp = t.trim_start_matches("t=");
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}

impl crate::server::TestServer {
    /// Whether `received` carries the signature of the tenant "acme" over its body, read from
    /// `X-Verifyd-Signature` as a customer reads it.
    pub async fn signed_by_the_tenant(&self, received: &crate::Received) -> anyhow::Result<bool> {
        let secret = verifyd_server::admin::tenant_callback(&self.settings, "acme", None)
            .await?
            .callback_secret;
        let (headers, body) = received;
        let Some(header) = headers.get("x-verifyd-signature") else {
            return Ok(false);
        };
        Ok(signature_verifies(&secret, header.to_str()?, body))
    }
}
