//! The rules of verifyd, independent of HTTP and of any storage engine.
//!
//! The domain knows tenants and their API credentials, accounts, workflow executions with their
//! credentials and parts, the workflow definitions of the specification and the validation of an
//! initiation. It reaches the outside world only through the traits it defines here (repository,
//! blob store, part inspector, clock, randomness), so that storage backends and analysers can be
//! swapped and tests can move time instead of sleeping. The installation's keys come in as a
//! keyring, so that what it seals and keys in the database is decided here, not by the backends.

pub mod analysers;
pub mod blob_store;
pub mod catalogue;
pub mod clock;
pub mod envelope;
pub mod error;
pub mod facemap;
pub mod inspector;
pub mod keyring;
pub mod model;
pub mod netverify;
pub mod random;
pub mod repository;
pub mod rules;
pub mod screener;
pub mod sealed_blobs;
pub mod sealed_secret;
pub mod service;
pub mod timestamp;

pub use error::DomainError;
pub use service::{Policy, Verifyd};
