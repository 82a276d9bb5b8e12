//! The verifyd HTTP server: axum handlers (one module per resource), authentication, the one
//! error-to-HTTP mapping, and the wiring of storage, engine and domain.

pub mod admin;
mod app;
mod auth;
pub mod background;
mod body_deadline;
pub mod callbacks;
pub mod config;
mod document_verification;
mod error;
mod extract;
mod handlers;
pub mod inspect;
mod links;
mod listener;
pub mod master_key;
mod middleware;
pub mod migrate;
mod multipart;
mod netverify;
pub mod openapi;
pub mod random;
mod routes;
pub mod screening;
pub mod serve;
mod state;
pub mod telemetry;
mod tokens;
mod unread_body;
pub mod web_client;

pub use config::Settings;
pub use serve::{start, RunningServer, Runtime};
