//! The request bodies the server deserialises, into the wire types of `verifyd-types`, and the
//! domain's validation of what deserialised, as the handlers do it:
//!
//! - 0: `AccountRequest` (`POST /api/v1/accounts`, `PUT /api/v1/accounts/{id}`), then
//!   `rules::initiation::validate`;
//! - 1: `InitiateRequest` (`POST /api/v4/initiate`), then `rules::netverify::validate`;
//! - 2: `PreparedData` (the PREPARED_DATA part), then `rules::prepared_data::validate`;
//! - 3: `WebDocumentRequest` (`POST /api/v1/web/session/document`), then the handler's own
//!   parse of its credential id and id type;
//! - 4: `TokenRequest` (`POST /oauth2/token`, a form: serde_urlencoded, as axum's `Form`).
//!
//! Input: one selector byte (its value modulo 5 picks the body type; bit 7 is the
//! development setting `allow_local_urls`), then the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_domain::catalogue::IdType;
use verifyd_domain::rules::{initiation, netverify, prepared_data};
use verifyd_types::netverify::InitiateRequest;
use verifyd_types::{AccountRequest, PreparedData, TokenRequest, WebDocumentRequest};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let allow_local_urls = selector & 0x80 != 0;
    match (selector & 0x7f) % 5 {
        0 => {
            if let Ok(request) = serde_json::from_slice::<AccountRequest>(body) {
                let _ = initiation::validate(&request, allow_local_urls);
                let _ = serde_json::to_vec(&request);
            }
        }
        1 => {
            if let Ok(request) = serde_json::from_slice::<InitiateRequest>(body) {
                let _ = netverify::validate(&request, allow_local_urls);
                let _ = serde_json::to_vec(&request);
            }
        }
        2 => {
            if let Ok(data) = serde_json::from_slice::<PreparedData>(body) {
                let _ = prepared_data::validate(&data);
                // What is stored is the value serialised again: it must read back.
                let stored = serde_json::to_vec(&data)
                    .unwrap_or_else(|error| panic!("PreparedData does not serialise: {error}"));
                let read = serde_json::from_slice::<PreparedData>(&stored);
                assert!(
                    read.is_ok(),
                    "stored PreparedData does not read back: {read:?}"
                );
            }
        }
        3 => {
            if let Ok(request) = serde_json::from_slice::<WebDocumentRequest>(body) {
                let _ = request.credential_id.parse::<uuid::Uuid>();
                let _ = request.id_type.parse::<IdType>();
            }
        }
        _ => {
            let _ = serde_urlencoded::from_bytes::<TokenRequest>(body);
        }
    }
});
