//! Watchlist versions and screening searches (migration 0008).

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::repository::{
    NewCallback, RepositoryError, ScreeningProfile, SearchStatusValue, StoredScreeningSearch,
    StoredWatchlist, WatchlistSummary,
};
use verifyd_domain::timestamp::{from_millis, to_millis};

use super::data_keys;
use super::read;
use super::rows;
use crate::error::backend;
use crate::profile_lists;
use crate::sealing::{self, Column, Sealing};

pub(super) async fn insert_watchlist(
    pool: &SqlitePool,
    list: &StoredWatchlist,
) -> Result<(), RepositoryError> {
    let summary = &list.summary;
    let mut transaction = pool.begin().await.map_err(backend)?;
    sqlx::query("UPDATE watchlists SET in_force = 0 WHERE name = ? AND in_force = 1")
        .bind(&summary.name)
        .execute(&mut *transaction)
        .await
        .map_err(backend)?;
    sqlx::query(
        "INSERT INTO watchlists (id, name, source, published, imported_at, entries, in_force, content) \
         VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
    )
    .bind(summary.id.to_string())
    .bind(&summary.name)
    .bind(&summary.source)
    .bind(summary.published.map(|date| date.to_string()))
    .bind(to_millis(summary.imported_at))
    .bind(i64::try_from(summary.entries).unwrap_or(i64::MAX))
    .bind(&list.content)
    .execute(&mut *transaction)
    .await
    .map_err(backend)?;
    transaction.commit().await.map_err(backend)
}

pub(super) async fn current(pool: &SqlitePool) -> Result<Vec<WatchlistSummary>, RepositoryError> {
    let query = sqlx::query(
        "SELECT id, name, source, published, imported_at, entries FROM watchlists \
         WHERE in_force = 1 ORDER BY name",
    );
    read::all(pool, query, summary).await
}

fn summary(row: &SqliteRow) -> Result<WatchlistSummary, RepositoryError> {
    let published: Option<String> = row.try_get("published").map_err(backend)?;
    let published = published
        .map(|text| {
            text.parse()
                .map_err(|_| RepositoryError::Corrupt(format!("published: {text}")))
        })
        .transpose()?;
    Ok(WatchlistSummary {
        id: rows::uuid(row, "id")?,
        name: row.try_get("name").map_err(backend)?,
        source: row.try_get("source").map_err(backend)?,
        published,
        imported_at: from_millis(row.try_get("imported_at").map_err(backend)?),
        entries: u64::try_from(row.try_get::<i64, _>("entries").map_err(backend)?).unwrap_or(0),
    })
}

pub(super) async fn content(
    pool: &SqlitePool,
    id: Uuid,
) -> Result<Option<String>, RepositoryError> {
    let query = sqlx::query("SELECT content FROM watchlists WHERE id = ?").bind(id.to_string());
    read::optional(pool, query, |row| row.try_get("content").map_err(backend)).await
}

pub(super) async fn search(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
    id: Uuid,
) -> Result<Option<StoredScreeningSearch>, RepositoryError> {
    let sql = searches("WHERE tenant_id = ? AND id = ?");
    let query = sqlx::query(&sql)
        .bind(tenant.to_string())
        .bind(id.to_string());
    read::optional(pool, query, |row| search_of(row, sealing)).await
}

pub(super) async fn searches_of(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
    account: Uuid,
) -> Result<Vec<StoredScreeningSearch>, RepositoryError> {
    let sql = searches("WHERE tenant_id = ? AND account_id = ? ORDER BY created_at, id");
    let query = sqlx::query(&sql)
        .bind(tenant.to_string())
        .bind(account.to_string());
    read::all(pool, query, |row| search_of(row, sealing)).await
}

pub(super) async fn profile(
    pool: &SqlitePool,
    tenant: Uuid,
) -> Result<Option<ScreeningProfile>, RepositoryError> {
    let query = sqlx::query(
        "SELECT lists, threshold_thousandths, search_status, monitoring FROM screening_profiles WHERE tenant_id = ?",
    )
    .bind(tenant.to_string());
    read::optional(pool, query, profile_of).await
}

fn profile_of(row: &SqliteRow) -> Result<ScreeningProfile, RepositoryError> {
    let status: String = row.try_get("search_status").map_err(backend)?;
    Ok(ScreeningProfile {
        search_status: SearchStatusValue::parse(&status)
            .ok_or_else(|| RepositoryError::Corrupt(format!("search_status: {status}")))?,
        monitoring: row.try_get::<i64, _>("monitoring").map_err(backend)? != 0,
        ..named_profile_of(row)?
    })
}

/// The lists and threshold, which a named search profile has alone.
fn named_profile_of(row: &SqliteRow) -> Result<ScreeningProfile, RepositoryError> {
    let lists: Option<String> = row.try_get("lists").map_err(backend)?;
    let threshold: Option<i64> = row.try_get("threshold_thousandths").map_err(backend)?;
    Ok(ScreeningProfile {
        lists: profile_lists::read(lists)?,
        threshold: profile_lists::threshold(threshold),
        ..ScreeningProfile::default()
    })
}

pub(super) async fn search_profile(
    pool: &SqlitePool,
    tenant: Uuid,
    name: &str,
) -> Result<Option<ScreeningProfile>, RepositoryError> {
    let query = sqlx::query(
        "SELECT lists, threshold_thousandths FROM screening_search_profiles WHERE tenant_id = ? AND name = ?",
    )
    .bind(tenant.to_string())
    .bind(name);
    read::optional(pool, query, named_profile_of).await
}

pub(super) async fn search_profiles(
    pool: &SqlitePool,
    tenant: Uuid,
) -> Result<Vec<(String, ScreeningProfile)>, RepositoryError> {
    let query =
        sqlx::query("SELECT * FROM screening_search_profiles WHERE tenant_id = ? ORDER BY name")
            .bind(tenant.to_string());
    read::all(pool, query, |row| {
        Ok((
            row.try_get("name").map_err(backend)?,
            named_profile_of(row)?,
        ))
    })
    .await
}

pub(super) async fn set_search_profile(
    pool: &SqlitePool,
    tenant: Uuid,
    name: &str,
    profile: Option<&ScreeningProfile>,
) -> Result<(), RepositoryError> {
    let Some(profile) = profile else {
        sqlx::query("DELETE FROM screening_search_profiles WHERE tenant_id = ? AND name = ?")
            .bind(tenant.to_string())
            .bind(name)
            .execute(pool)
            .await
            .map_err(backend)?;
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO screening_search_profiles (tenant_id, name, lists, threshold_thousandths)          VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO UPDATE SET lists = excluded.lists,          threshold_thousandths = excluded.threshold_thousandths",
    )
    .bind(tenant.to_string())
    .bind(name)
    .bind(profile_lists::write(profile.lists.as_ref())?)
    .bind(profile_lists::thousandths(profile.threshold))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn set_profile(
    pool: &SqlitePool,
    tenant: Uuid,
    profile: &ScreeningProfile,
) -> Result<(), RepositoryError> {
    let lists = profile_lists::write(profile.lists.as_ref())?;
    sqlx::query(
        "INSERT INTO screening_profiles (tenant_id, lists, threshold_thousandths, search_status, monitoring) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET lists = excluded.lists, \
         threshold_thousandths = excluded.threshold_thousandths, search_status = excluded.search_status, \
         monitoring = excluded.monitoring",
    )
    .bind(tenant.to_string())
    .bind(lists)
    .bind(profile_lists::thousandths(profile.threshold))
    .bind(profile.search_status.as_str())
    .bind(i64::from(profile.monitoring))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn monitoring_tenants(
    pool: &SqlitePool,
) -> Result<Vec<(Uuid, ScreeningProfile)>, RepositoryError> {
    let query = sqlx::query("SELECT * FROM screening_profiles WHERE monitoring = 1");
    read::all(pool, query, |row| {
        Ok((rows::uuid(row, "tenant_id")?, profile_of(row)?))
    })
    .await
}

/// The latest search of each screened account of the tenant (the one with the highest
/// `created_at`, ties broken by id).
pub(super) async fn monitored_holders(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
) -> Result<Vec<StoredScreeningSearch>, RepositoryError> {
    let sql = format!(
        "SELECT *, {} FROM screening_searches s WHERE s.tenant_id = ? AND s.account_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM screening_searches later WHERE later.account_id = s.account_id \
         AND (later.created_at > s.created_at OR (later.created_at = s.created_at AND later.id > s.id))) \
         ORDER BY s.account_id",
        sealing::data_key_of("s.account_id")
    );
    let query = sqlx::query(&sql).bind(tenant.to_string());
    read::all(pool, query, |row| search_of(row, sealing)).await
}

/// The searches the condition selects, each with its owner's data key (`search_of`).
fn searches(condition: &str) -> String {
    format!(
        "SELECT *, {} FROM screening_searches {condition}",
        sealing::data_key_of("COALESCE(screening_searches.account_id, screening_searches.id)")
    )
}

/// Whose data key seals a search's report: its account's, or its own when it has none.
fn report_owner(search: &StoredScreeningSearch) -> Uuid {
    search.account_id.unwrap_or(search.id)
}

fn search_of(row: &SqliteRow, sealing: &Sealing) -> Result<StoredScreeningSearch, RepositoryError> {
    let optional_uuid = |column: &str| -> Result<Option<Uuid>, RepositoryError> {
        let value: Option<String> = row.try_get(column).map_err(backend)?;
        value
            .map(|text| {
                Uuid::parse_str(&text)
                    .map_err(|error| RepositoryError::Corrupt(format!("{column}: {error}")))
            })
            .transpose()
    };
    let mut search = StoredScreeningSearch {
        id: rows::uuid(row, "id")?,
        tenant_id: rows::uuid(row, "tenant_id")?,
        account_id: optional_uuid("account_id")?,
        execution_id: optional_uuid("execution_id")?,
        created_at: from_millis(row.try_get("created_at").map_err(backend)?),
        results: u64::try_from(row.try_get::<i64, _>("results").map_err(backend)?).unwrap_or(0),
        report: String::new(),
    };
    let wrapped: Option<Vec<u8>> = row.try_get("data_key").map_err(backend)?;
    search.report = sealing
        .open(
            Some(row.try_get("report").map_err(backend)?),
            Column::ScreeningReport,
            search.id,
            report_owner(&search),
            wrapped.as_deref(),
        )?
        .unwrap_or_default();
    Ok(search)
}

/// A search, and the callback that reports it when there is one (ongoing monitoring's).
pub(super) async fn record_search(
    pool: &SqlitePool,
    sealing: &Sealing,
    search: &StoredScreeningSearch,
    callback: Option<&NewCallback>,
) -> Result<(), RepositoryError> {
    let mut transaction = pool.begin().await.map_err(backend)?;
    let owner = report_owner(search);
    let key = data_keys::get_or_create(&mut transaction, sealing, search.tenant_id, owner).await?;
    let report = sealing.seal(&key, Column::ScreeningReport, search.id, &search.report)?;
    sqlx::query(
        "INSERT INTO screening_searches (id, tenant_id, account_id, execution_id, created_at, results, report) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(search.id.to_string())
    .bind(search.tenant_id.to_string())
    .bind(search.account_id.map(|id| id.to_string()))
    .bind(search.execution_id.map(|id| id.to_string()))
    .bind(to_millis(search.created_at))
    .bind(i64::try_from(search.results).unwrap_or(i64::MAX))
    .bind(report)
    .execute(&mut *transaction)
    .await
    .map_err(backend)?;
    if let Some(callback) = callback {
        super::insert_callback(&mut transaction, callback).await?;
    }
    transaction.commit().await.map_err(backend)
}
