//! Watchlist screening for verifyd, as a pure library: it reads published sanctions lists in
//! their own formats (OFAC SDN CSV, the UN consolidated XML, OpenSanctions FollowTheMoney JSON
//! lines and deltas) into one model, and matches a person's name, with date of birth,
//! nationality and gender when known, against them. Bytes in, list versions and matches out:
//! no files, database, network or clock, so the server decides where lists come from, where
//! they are stored and when they are current.
//!
//! The flow: parse a download ([`ofac::parse`], [`un::parse`], [`ftm::parse`],
//! [`ftm::apply_delta`]), refuse a suspicious replacement ([`check_replacement`]), store the
//! [`ListVersion`] as JSON, compute what changed ([`diff`]) for ongoing monitoring, build an
//! [`Index`] over the versions in force and [`Index::search`] it.

pub mod country;
mod detect;
mod error;
pub mod ftm;
mod index;
mod model;
pub mod normalise;
pub mod ofac;
pub mod un;

pub use detect::{detect_format, ListFormat};
pub use error::{check_replacement, ImportError, QueryError};
pub use index::{Index, Match, NameScore, Query, Reason, SearchOptions, DEFAULT_THRESHOLD};
pub use model::{
    diff, BirthDate, Entry, EntryKind, EntryName, Gender, Identifier, ListCounts, ListDiff,
    ListVersion, NameKind,
};
