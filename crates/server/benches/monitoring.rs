//! Ongoing monitoring, the whole of it: a real daily update (OFAC's list of 3 May 2024 after
//! the one of 1 May: 7 entries added or changed) imported into a server whose monitoring tenant
//! has 100,000 screened holders stored (the names, dates of birth, nationalities and genders of
//! the screening benchmark's negative sets, one account and one search each, on SQLite). The
//! figure is the import's wall time: reading the holders' last searches, re-screening each
//! against the changed entries, storing the hits and queueing their callbacks.
//! Run: `cargo bench -p verifyd-server --bench monitoring` (`MONITORING_HOLDERS` sets the
//! number of holders; default 100,000).

use std::time::Instant;

use anyhow::{Context, Result};
use verifyd_domain::service::{report_json, ScreeningQuery};
use verifyd_screening::{BirthDate, Gender};
use verifyd_server::admin::{tenant_screening, ScreeningProfileChange};
use verifyd_testkit::{screening_data, TestServer};

const DEFAULT_HOLDERS: usize = 100_000;

/// The holders: the negative sets' people, as a workflow's extraction would screen them.
fn holders(limit: usize) -> Result<Vec<ScreeningQuery>> {
    let mut holders = Vec::new();
    for file in ["bench/negatives_global.csv", "bench/negatives_us.csv"] {
        let mut reader = csv::Reader::from_path(screening_data()?.join(file))?;
        for record in reader.records() {
            let record = record?;
            let get = |at: usize| record.get(at).unwrap_or("").trim().to_owned();
            holders.push(ScreeningQuery {
                name: get(0),
                date_of_birth: BirthDate::parse_iso(&get(5)),
                nationality: Some(get(7)).filter(|n| !n.is_empty()),
                gender: Gender::parse(&get(4)),
            });
        }
    }
    holders.truncate(limit);
    Ok(holders)
}

#[tokio::main]
async fn main() -> Result<()> {
    let limit = std::env::var("MONITORING_HOLDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_HOLDERS);
    let server = TestServer::start().await?;
    println!(
        "{}",
        server
            .import_watchlist(&["ofac-2024-05/sdn-2024-05-01.csv"])
            .await?
            .trim()
    );
    tenant_screening(
        &server.settings,
        "acme",
        ScreeningProfileChange {
            profile: None,
            remove: false,
            lists: None,
            threshold: None,
            search_status: None,
            monitoring: Some(true),
        },
    )
    .await?;

    // The holders' accounts and searches, stored as the screening step stores them (the
    // report from the domain's own `report_json`), in one transaction.
    let holders = holders(limit)?;
    let started = Instant::now();
    let database = server.settings.data_dir.join("verifyd.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", database.display())).await?;
    let tenant: String = sqlx::query_scalar("SELECT id FROM tenants WHERE name = 'acme'")
        .fetch_one(&pool)
        .await
        .context("the test tenant")?;
    let mut transaction = pool.begin().await?;
    for (n, holder) in holders.iter().enumerate() {
        let account = uuid::Uuid::from_u128(0xacc0_0000_0000 + n as u128).to_string();
        let search = uuid::Uuid::from_u128(0x5ea0_0000_0000 + n as u128).to_string();
        sqlx::query(
            "INSERT INTO accounts (id, tenant_id, created_at, updated_at) VALUES (?, ?, 0, 0)",
        )
        .bind(&account)
        .bind(&tenant)
        .execute(&mut *transaction)
        .await?;
        let report = report_json(holder, &[], &[], verifyd_screening::DEFAULT_THRESHOLD);
        sqlx::query(
            "INSERT INTO screening_searches (id, tenant_id, account_id, execution_id, created_at, results, report) \
             VALUES (?, ?, ?, NULL, 0, 0, ?)",
        )
        .bind(&search)
        .bind(&tenant)
        .bind(&account)
        .bind(report.to_string())
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    pool.close().await;
    println!(
        "{} holders stored in {:.1} s",
        holders.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let imported = server
        .import_watchlist(&["ofac-2024-05/sdn-2024-05-03.csv"])
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{}", imported.trim());
    println!(
        "the import with monitoring: {seconds:.1} s wall, {:.3} ms a holder",
        1000.0 * seconds / holders.len().max(1) as f64
    );
    server.stop().await
}
