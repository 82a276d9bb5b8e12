//! One module per API family, each with the router of its routes; a family's modules are one
//! per resource. A route's path and method are written once, in its handler's annotation, from
//! which `utoipa_axum::routes!` makes both the route and its part of the OpenAPI document.
//!
//! `routes!` gives one method router to every path its handlers name, so each call takes the
//! handlers of one path only.

pub mod health;
pub mod metrics;
pub mod netverify;
pub mod platform;
pub mod web;
