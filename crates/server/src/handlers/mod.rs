//! One module per resource of the API.

pub mod accounts;
pub mod callbacks;
pub mod health;
pub mod id_types;
pub mod initiate;
pub mod liveness_challenges;
pub mod oauth;
pub mod parts;
pub mod retrieval;
pub mod scans;
pub mod transactions;
pub mod web_session;
pub mod workflow_executions;
