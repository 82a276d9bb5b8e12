//! The screening port: an index over the watchlist versions in force, searched by a person's
//! name. Building one parses and indexes tens of thousands of entries (a tenth of a second and
//! more), so the adapter builds it off the async runtime and keeps it until the versions in
//! force change; the domain tells it when (`Verifyd` compares the stored versions with
//! [`Screener::indexed`] before each search, so every node follows an import on any other).

use async_trait::async_trait;
use uuid::Uuid;
use verifyd_screening::{Match, Query, QueryError, SearchOptions};

#[derive(Debug, thiserror::Error)]
pub enum ScreenerError {
    /// The query has no name to search (empty, or only titles and punctuation), or is too long.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A stored list does not parse, or the work could not run.
    #[error("screening failed: {0}")]
    Failed(String),
}

#[async_trait]
pub trait Screener: Send + Sync {
    /// The ids of the versions the index holds, in the order they were loaded; empty before
    /// the first load.
    fn indexed(&self) -> Vec<Uuid>;
    /// Replaces the index with one over `versions` (id and content as stored: the screening
    /// crate's `ListVersion` as JSON).
    async fn load(&self, versions: Vec<(Uuid, String)>) -> Result<(), ScreenerError>;
    /// The matches of `query` over the index, best first.
    async fn search(
        &self,
        query: Query,
        options: SearchOptions,
    ) -> Result<Vec<Match>, ScreenerError>;
}
