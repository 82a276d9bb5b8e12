//! A PostgreSQL database of a test's own on the server every machine and CI run at
//! 127.0.0.1:5432 (`VERIFYD_TEST_POSTGRES_URL` names another), created when the test starts
//! and dropped, with any connection left to it, when the guard goes.

use anyhow::{Context, Result};
use sqlx::{Connection, Executor, PgConnection};

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

fn server() -> String {
    std::env::var("VERIFYD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| format!("{DEFAULT_SERVER}/postgres"))
}

/// Runs one statement on the server's maintenance database, on a runtime of its own, so that
/// the guard works from synchronous tests, async tests and `Drop` alike.
fn administer(statement: String) -> Result<()> {
    let server = server();
    std::thread::spawn(move || -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let mut admin = PgConnection::connect(&server)
                .await
                .with_context(|| format!("PostgreSQL at {server} (VERIFYD_TEST_POSTGRES_URL)"))?;
            admin.execute(statement.as_str()).await?;
            admin.close().await?;
            Ok(())
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("the PostgreSQL administration thread panicked"))?
}

pub struct ScratchPostgres {
    name: String,
}

impl ScratchPostgres {
    /// Creates `verifyd_test_<random>`.
    pub fn create() -> Result<Self> {
        let id = verifyd_domain::random::new_id(&verifyd_server::random::OsRandom);
        let name = format!("verifyd_test_{}", id.simple());
        administer(format!(r#"CREATE DATABASE "{name}""#))?;
        Ok(Self { name })
    }

    /// Its URL, as `database_url` takes it.
    pub fn url(&self) -> String {
        let server = server();
        let base = server
            .rsplit_once('/')
            .map_or(server.as_str(), |(base, _)| base);
        format!("{base}/{}", self.name)
    }
}

impl Drop for ScratchPostgres {
    fn drop(&mut self) {
        let name = &self.name;
        if let Err(error) = administer(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
        {
            eprintln!("could not drop the scratch database {name}: {error}");
        }
    }
}
