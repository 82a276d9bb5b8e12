//! The verifyd HTTP server: axum handlers (one module per resource), authentication, the one
//! error-to-HTTP mapping, and the wiring of storage, engine and domain.

pub mod admin;
pub mod analysers;
mod app;
mod auth;
pub mod background;
mod body_deadline;
pub mod callbacks;
pub mod config;
mod document_analyser;
mod error;
mod explain;
mod extract;
mod face_analyser;
mod handlers;
pub mod inspect;
mod inspector;
mod links;
mod listener;
pub mod master_key;
mod middleware;
mod netverify;
pub mod openapi;
pub mod random;
mod rate_limit;
pub mod sandbox;
pub mod serve;
mod state;
mod tokens;
pub mod web_client;

pub use config::Settings;
pub use serve::{start, RunningServer, Runtime};
