//! Integration tests: a real server on port 0, driven over HTTP as an integration would.

mod accounts;
mod acquisition;
mod authentication;
mod callbacks;
mod data_protection;
mod deletion;
mod document_verification;
mod documents;
mod expiry;
mod faces;
mod metrics;
mod netverify;
mod openapi_contract;
mod perform_netverify;
mod platform;
mod processing;
mod rate_limits;
mod retention;
mod retrieval;
mod screening;
#[cfg(unix)]
mod secrets_at_rest;
mod watched_lists;
mod web;
mod workflows;
