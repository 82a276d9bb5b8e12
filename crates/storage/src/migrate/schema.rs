//! Which tables are copied, in which order, and how each column's values convert. The order is
//! written here because the copy must insert a referenced row before the rows that refer to
//! it; the columns and their types are read from the target's schema, so that a column a later
//! migration adds is copied without a change here. Both schemas must hold exactly the tables
//! named below with the same columns: a table or column that only one side has stops the copy
//! before anything is written, instead of being silently left behind.

use std::collections::BTreeSet;

use sqlx::{PgConnection, Row, SqliteConnection};

use super::{MigrateError, Side};

/// Every table of both schemas that holds the installation's records, referenced tables
/// before the tables that refer to them.
pub(super) const COPIED: &[&str] = &[
    "tenants",
    "api_clients",
    "retention_settings",
    "server_secrets",
    "data_keys",
    "accounts",
    "workflow_executions",
    "credentials",
    "workflow_execution_credentials",
    "parts",
    "jobs",
    "blob_deletions",
    "callbacks",
    "callback_attempts",
    "document_fingerprints",
    "liveness_challenges",
    "liveness_frames",
    "face_templates",
    "watchlists",
    "screening_searches",
    "screening_profiles",
    "screening_search_profiles",
    "screening_reviews",
    "document_verifications",
    "document_pages",
];

/// Coordination between the nodes of one installation, not records: who took the last turn of
/// periodic work, and the initiations of the last minute that the rate limit counts. They are
/// not copied, and the target's are emptied: the new nodes take their first turns at once and
/// count the rate limit from their start.
pub(super) const TRANSIENT: &[&str] = &["periodic_turns", "initiations"];

/// The tables of the schema's own bookkeeping, never copied: each side's migrator keeps its
/// own record of the migrations it applied.
const BOOKKEEPING: &[&str] = &["_sqlx_migrations"];

/// How a PostgreSQL column's values are read from SQLite, written and compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// UUID; SQLite keeps its hyphenated text.
    Uuid,
    /// BIGINT; SQLite's INTEGER.
    Integer,
    Text,
    /// BYTEA; SQLite's BLOB.
    Bytes,
    /// TEXT[]; SQLite keeps the names joined by commas.
    TextList,
}

#[derive(Clone, Debug)]
pub(super) struct Column {
    pub name: String,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub(super) struct Table {
    pub name: &'static str,
    pub columns: Vec<Column>,
    /// The primary key's columns: both sides are read in its order, so that their checksums
    /// cover the rows in the same sequence.
    pub key: Vec<Column>,
}

/// The copied tables as the target defines them, after checking that both sides hold the same
/// tables and columns.
pub(super) async fn tables(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
) -> Result<Vec<Table>, MigrateError> {
    let expected: BTreeSet<&str> = COPIED.iter().chain(TRANSIENT).copied().collect();
    let source_tables = sqlite_tables(source).await?;
    let target_tables = postgres_tables(target).await?;
    same_tables(Side::Source, &expected, &source_tables)?;
    same_tables(Side::Target, &expected, &target_tables)?;

    let mut tables = Vec::with_capacity(COPIED.len());
    for &name in COPIED {
        let columns = postgres_columns(target, name).await?;
        let source_columns = sqlite_columns(source, name).await?;
        let target_names: BTreeSet<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let source_names: BTreeSet<&str> = source_columns.iter().map(String::as_str).collect();
        if target_names != source_names {
            let only = |a: &BTreeSet<&str>, b: &BTreeSet<&str>| {
                a.difference(b).copied().collect::<Vec<_>>().join(", ")
            };
            return Err(MigrateError::Schema(format!(
                "table {name}: columns only in the source: [{}], only in the target: [{}]",
                only(&source_names, &target_names),
                only(&target_names, &source_names)
            )));
        }
        let key_names = postgres_primary_key(target, name).await?;
        if key_names.is_empty() {
            return Err(MigrateError::Schema(format!(
                "table {name} has no primary key in the target, so its rows have no order to \
                 compare them in"
            )));
        }
        let key = key_names
            .iter()
            .map(|key| {
                columns
                    .iter()
                    .find(|column| &column.name == key)
                    .cloned()
                    .ok_or_else(|| {
                        MigrateError::Schema(format!("table {name}: key column {key} is unknown"))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        tables.push(Table { name, columns, key });
    }
    Ok(tables)
}

fn same_tables(
    side: Side,
    expected: &BTreeSet<&str>,
    found: &BTreeSet<String>,
) -> Result<(), MigrateError> {
    let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let unknown: Vec<&str> = found.difference(expected).copied().collect();
    let missing: Vec<&str> = expected.difference(&found).copied().collect();
    if unknown.is_empty() && missing.is_empty() {
        return Ok(());
    }
    Err(MigrateError::Schema(format!(
        "the {side} database's tables are not the ones this version of verifyd copies: \
         unknown [{}], missing [{}]",
        unknown.join(", "),
        missing.join(", ")
    )))
}

async fn sqlite_tables(source: &mut SqliteConnection) -> Result<BTreeSet<String>, MigrateError> {
    let rows = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *source)
    .await
    .map_err(MigrateError::source)?;
    let mut names = BTreeSet::new();
    for row in rows {
        let name: String = row.try_get("name").map_err(MigrateError::source)?;
        if !BOOKKEEPING.contains(&name.as_str()) {
            names.insert(name);
        }
    }
    Ok(names)
}

async fn sqlite_columns(
    source: &mut SqliteConnection,
    table: &str,
) -> Result<Vec<String>, MigrateError> {
    sqlx::query("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(&mut *source)
        .await
        .map_err(MigrateError::source)?
        .iter()
        .map(|row| row.try_get("name").map_err(MigrateError::source))
        .collect()
}

async fn postgres_tables(target: &mut PgConnection) -> Result<BTreeSet<String>, MigrateError> {
    let rows = sqlx::query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *target)
    .await
    .map_err(MigrateError::target)?;
    let mut names = BTreeSet::new();
    for row in rows {
        let name: String = row.try_get("name").map_err(MigrateError::target)?;
        if !BOOKKEEPING.contains(&name.as_str()) {
            names.insert(name);
        }
    }
    Ok(names)
}

async fn postgres_columns(
    target: &mut PgConnection,
    table: &str,
) -> Result<Vec<Column>, MigrateError> {
    let rows = sqlx::query(
        "SELECT column_name::text AS name, data_type::text AS type, udt_name::text AS udt \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *target)
    .await
    .map_err(MigrateError::target)?;
    let mut columns = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get("name").map_err(MigrateError::target)?;
        let data_type: String = row.try_get("type").map_err(MigrateError::target)?;
        let udt: String = row.try_get("udt").map_err(MigrateError::target)?;
        let kind = match (data_type.as_str(), udt.as_str()) {
            ("uuid", _) => Kind::Uuid,
            ("bigint", _) => Kind::Integer,
            ("text", _) => Kind::Text,
            ("bytea", _) => Kind::Bytes,
            ("ARRAY", "_text") => Kind::TextList,
            _ => {
                return Err(MigrateError::Schema(format!(
                    "table {table}: column {name} has the type {data_type} ({udt}), which \
                     verifyd migrate does not convert"
                )))
            }
        };
        columns.push(Column { name, kind });
    }
    Ok(columns)
}

async fn postgres_primary_key(
    target: &mut PgConnection,
    table: &str,
) -> Result<Vec<String>, MigrateError> {
    sqlx::query(
        "SELECT k.column_name::text AS name FROM information_schema.table_constraints c \
         JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema \
           AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name \
         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() \
           AND c.table_name = $1 \
         ORDER BY k.ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *target)
    .await
    .map_err(MigrateError::target)?
    .iter()
    .map(|row| row.try_get("name").map_err(MigrateError::target))
    .collect()
}
