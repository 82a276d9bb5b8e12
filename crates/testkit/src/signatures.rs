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
