//! The repository contract (`tests/contract`) against PostgreSQL. Each check gets a database of
//! its own, `verifyd_contract_<uuid>`, created on the server of `VERIFYD_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`, a role that may create databases)
//! and opened the way the server opens it (`open_repository` with a `postgres://` URL, which runs
//! the migrations); it is dropped when the check ends, passed or failed. PostgreSQL is part of
//! every development machine and of CI: when it cannot be reached the checks fail, saying so.

mod contract;

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection};
use verifyd_domain::repository::Repository;
use verifyd_storage::RepositoryOptions;

use contract::fixtures::{
    account_id, add_tenant, at, execution_id, finalize, job_id, lease, Error, Initiation, Outcome,
    MINUTE,
};

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

/// A new, empty database of its own, and its URL.
async fn scratch_database() -> Result<(ScratchDatabase, String), Error> {
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
    let mut url = url::Url::parse(&server)?;
    url.set_path(&name);
    Ok((ScratchDatabase { server, name }, url.to_string()))
}

/// A fresh PostgreSQL repository in a database of its own.
async fn open_postgres() -> Result<(ScratchDatabase, Arc<dyn Repository>), Error> {
    let (guard, url) = scratch_database().await?;
    let repository = verifyd_storage::open_repository(
        &url,
        &RepositoryOptions::default(),
        contract::fixtures::envelope(),
    )
    .await?;
    Ok((guard, repository))
}

contract::repository_contract!(open_postgres);

/// What SQLite cannot do: a job finalized through one process's repository wakes a worker
/// waiting on another's (two repositories on one database, as `serve` and `worker` would be).
#[tokio::test]
async fn a_finalize_in_one_process_wakes_a_worker_in_another() -> Outcome {
    let (_guard, url) = scratch_database().await?;
    let options = RepositoryOptions {
        max_connections: Some(2),
    };
    let server =
        verifyd_storage::open_repository(&url, &options, contract::fixtures::envelope()).await?;
    let worker =
        verifyd_storage::open_repository(&url, &options, contract::fixtures::envelope()).await?;
    let tenant = add_tenant(server.as_ref(), 1).await?;
    Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(server.as_ref())
        .await?;

    let origin = Instant::now();
    let finalized = Cell::new(None);
    let waiting = async {
        loop {
            worker.wait_for_jobs(Duration::from_secs(30)).await?;
            if let Some(finalized) = finalized.get() {
                return Ok::<Duration, Error>(origin.elapsed().saturating_sub(finalized));
            }
        }
    };
    let finalizing = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        finalized.set(Some(origin.elapsed()));
        finalize(server.as_ref(), execution_id(1), job_id(1), at(0)).await
    };
    let (delay, _) = futures::future::try_join(waiting, finalizing).await?;
    assert!(
        delay < Duration::from_secs(2),
        "the other process's worker woke only after {delay:?}"
    );
    let claimed = worker.claim_job(at(0), at(MINUTE), lease(1)).await?;
    assert_eq!(claimed.map(|job| job.id), Some(job_id(1)));
    Ok(())
}
