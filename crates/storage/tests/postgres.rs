//! The repository contract (`tests/contract`) against PostgreSQL. Each check gets a database of
//! its own, `verifyd_contract_<uuid>`, created on the server of `VERIFYD_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`, a role that may create databases)
//! and opened the way the server opens it (`open_repository` with a `postgres://` URL, which runs
//! the migrations); it is dropped when the check ends, passed or failed. PostgreSQL is part of
//! every development machine and of CI: when it cannot be reached the checks fail, saying so.

mod contract;

use std::sync::Arc;

use sqlx::{Connection, Executor, PgConnection};
use verifyd_domain::repository::Repository;
use verifyd_storage::RepositoryOptions;

use contract::fixtures::Error;

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn server_url() -> String {
    std::env::var("VERIFYD_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_SERVER.to_owned())
}

/// A scratch database; dropped (with `FORCE`, ending any connection left to it) with the guard.
struct ScratchDatabase {
    server: String,
    name: String,
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        // Drop cannot await, and may run inside the check's runtime: drop the database from a
        // thread of its own with a runtime of its own, and wait for it.
        let server = self.server.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || -> Result<(), Error> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server).await?;
                admin
                    .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
                    .await?;
                admin.close().await?;
                Ok(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                eprintln!("could not drop the scratch database {}: {error}", self.name)
            }
            Err(_) => eprintln!("dropping the scratch database {} panicked", self.name),
        }
    }
}

/// A database name no other run, concurrent or earlier, has used.
#[allow(clippy::disallowed_methods)] // A name for a scratch database, not an identifier of verifyd's.
fn scratch_name() -> String {
    format!("verifyd_contract_{}", uuid::Uuid::new_v4().simple())
}

/// A fresh PostgreSQL repository in a database of its own.
async fn open_postgres() -> Result<(ScratchDatabase, Arc<dyn Repository>), Error> {
    let server = server_url();
    let mut admin = PgConnection::connect(&server).await.map_err(|error| {
        format!(
            "PostgreSQL for the contract checks is not reachable at {server} \
             (set VERIFYD_TEST_POSTGRES_URL to a server where this role may create databases): {error}"
        )
    })?;
    let name = scratch_name();
    admin
        .execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
        .await?;
    admin.close().await?;
    let guard = ScratchDatabase {
        server: server.clone(),
        name: name.clone(),
    };
    let mut url = url::Url::parse(&server)?;
    url.set_path(&name);
    let repository =
        verifyd_storage::open_repository(url.as_str(), &RepositoryOptions::default()).await?;
    Ok((guard, repository))
}

contract::repository_contract!(open_postgres);
