//! The repository contract (`tests/contract`) against the embedded SQLite backend. Each check
//! gets a database file of its own in a temporary directory, opened the way the server opens
//! it (`open_repository` with a `sqlite://` URL, which runs the migrations), so the checks see
//! the schema as shipped and never each other's rows.

mod contract;

use std::sync::Arc;

use tempfile::TempDir;
use verifyd_domain::repository::Repository;
use verifyd_storage::RepositoryOptions;

use contract::fixtures::Error;

/// A fresh SQLite repository; the directory holding it goes when the guard is dropped.
async fn open_sqlite() -> Result<(TempDir, Arc<dyn Repository>), Error> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("verifyd.db").display());
    let repository = verifyd_storage::open_repository(
        &url,
        &RepositoryOptions::default(),
        contract::fixtures::envelope(),
    )
    .await?;
    Ok((dir, repository))
}

contract::repository_contract!(open_sqlite);
