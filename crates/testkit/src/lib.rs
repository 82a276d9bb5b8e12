//! The one test harness of verifyd's API tests, hardening tests, real-document tests, CLI tests
//! and benchmarks, so that each starts its server, receives callbacks and makes its images the
//! same way instead of keeping a copy of its own.
//!
//! Everything a test names is at the root (`use verifyd_testkit::*`); the real-document set has
//! its own module, [`real_documents`], since its names (`entries`, `folder`) are too general to
//! import into every test.
//!
//! A dev-dependency only: it depends on `verifyd-server`, so the server's unit tests (inside
//! its `src/`) cannot use it; its integration tests and benches can.

mod bills;
mod builder;
mod files;
mod images;
mod json;
mod passports;
mod postgres;
pub mod real_documents;
mod receiver;
mod requests;
mod screening;
mod seaweedfs;
mod server;
mod shared_backends;
mod signatures;

pub use bills::{bill_jpeg, pdf_of_flate_image, pdf_of_scans};
pub use files::files_below;
pub use images::{
    document_photo, edited_with_photoshop, encode, encode_jpeg, jpeg, on_white, pdf, photo, png,
};
pub use json::{
    authorization_token, consent, credential, decision_of, error_json, ok_json, pair, refused, text,
};
pub use passports::{
    face_engine, passport_bearing, passport_bearing_seeded, passport_for, person, rendered,
};
pub use postgres::ScratchPostgres;
pub use receiver::{Received, Receiver};
pub use screening::screening_data;
pub use seaweedfs::{SeaweedFs, ACCESS_KEY_ID, BUCKET, SECRET_ACCESS_KEY};
pub use server::{
    wait_for_document, wait_for_scan, wait_for_status, TestServer, TestServerBuilder, USER_AGENT,
};
pub use shared_backends::{free_port, on_shared_backends, SHARED_MASTER_KEY};
pub use signatures::signature_verifies;
pub use verifyd_engine::documents::mrz::{Holder, MrzDate};
