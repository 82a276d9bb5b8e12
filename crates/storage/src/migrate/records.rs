//! The records: every row of the SQLite database written to PostgreSQL in one transaction, then
//! read back and compared, table by table, before that transaction commits. The source is read
//! in one read transaction too, so that a running installation is copied as it was at one
//! instant (WAL lets it go on writing meanwhile): no part refers to a credential the copy has
//! not seen. The target's tables are emptied first, which makes the target a mirror of the
//! source on every run: a row deleted from the source since the last run is gone from the
//! target, and a run that fails leaves the target as the last good run left it.

use futures::TryStreamExt;
use sqlx::{PgConnection, SqliteConnection};

use super::batch::{self, quoted};
use super::schema::{self, Kind, Table};
use super::value::{self, Checksum};
use super::{MigrateError, RecordsCopy, TableCopy};
use crate::{PostgresRepository, RepositoryOptions, SqliteRepository};

pub(super) async fn copy(from: &str, to: &str) -> Result<RecordsCopy, MigrateError> {
    check_urls(from, to)?;
    let source = open_source(from).await?;
    let target = PostgresRepository::open(
        to,
        &RepositoryOptions {
            max_connections: Some(1),
        },
    )
    .await
    .map_err(|error| MigrateError::Target(format!("cannot open it: {error}")))?;

    let mut read = source.reads().begin().await.map_err(MigrateError::source)?;
    let mut write = target.pool().begin().await.map_err(MigrateError::target)?;
    let tables = schema::tables(&mut read, &mut write).await?;

    let every: Vec<String> = schema::COPIED
        .iter()
        .chain(schema::TRANSIENT)
        .map(|name| quoted(name))
        .collect();
    sqlx::query(&format!("TRUNCATE {}", every.join(", ")))
        .execute(&mut *write)
        .await
        .map_err(MigrateError::target)?;

    let mut copied = Vec::with_capacity(tables.len());
    for table in &tables {
        let (rows, checksum) = copy_table(&mut read, &mut write, table).await?;
        copied.push(TableCopy {
            table: table.name.to_owned(),
            rows,
            checksum,
        });
    }
    for (table, copy) in tables.iter().zip(&copied) {
        let (rows, checksum) = target_checksum(&mut write, table).await?;
        if rows != copy.rows {
            return Err(MigrateError::Mismatch {
                table: copy.table.clone(),
                detail: format!("{} rows in the source, {rows} in the target", copy.rows),
            });
        }
        if checksum != copy.checksum {
            return Err(MigrateError::Mismatch {
                table: copy.table.clone(),
                detail: format!(
                    "SHA-256 {} in the source, {checksum} in the target",
                    copy.checksum
                ),
            });
        }
    }
    let tenants = sqlx::query_scalar::<_, String>("SELECT id FROM tenants")
        .fetch_all(&mut *read)
        .await
        .map_err(MigrateError::source)?
        .iter()
        .map(|id| {
            uuid::Uuid::parse_str(id)
                .map_err(|error| MigrateError::Source(format!("tenants.id {id:?}: {error}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    write.commit().await.map_err(MigrateError::target)?;
    read.rollback().await.map_err(MigrateError::source)?;
    Ok(RecordsCopy {
        tables: copied,
        emptied: schema::TRANSIENT
            .iter()
            .map(|&name| name.to_owned())
            .collect(),
        tenants,
    })
}

fn check_urls(from: &str, to: &str) -> Result<(), MigrateError> {
    let scheme = |url: &str| url.split_once("://").map(|(scheme, _)| scheme.to_owned());
    if scheme(from).as_deref() != Some("sqlite") {
        return Err(MigrateError::Refused(
            "--from must be the SQLite database of a single-node installation (sqlite://PATH)"
                .to_owned(),
        ));
    }
    if !matches!(scheme(to).as_deref(), Some("postgres" | "postgresql")) {
        return Err(MigrateError::Refused(
            "--to must be a PostgreSQL database (postgres://USER@HOST:PORT/DB): verifyd migrate \
             moves an installation from SQLite to PostgreSQL"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Opens the source as the server does, so that its schema is brought up to date, but never
/// creates it: a mistyped path must not copy an empty database over the target.
async fn open_source(from: &str) -> Result<SqliteRepository, MigrateError> {
    let path = super::sqlite_file(from)?;
    if !path.is_file() {
        return Err(MigrateError::Source(format!(
            "{} does not exist (--from names the old installation's database, e.g. \
             sqlite:///srv/verifyd/data/verifyd.db)",
            path.display()
        )));
    }
    SqliteRepository::open(
        from,
        &RepositoryOptions {
            max_connections: Some(1),
        },
    )
    .await
    .map_err(|error| MigrateError::Source(format!("cannot open {}: {error}", path.display())))
}

/// Writes the table's rows in batches; answers their count and checksum as read.
async fn copy_table(
    read: &mut SqliteConnection,
    write: &mut PgConnection,
    table: &Table,
) -> Result<(u64, String), MigrateError> {
    let select = format!(
        "SELECT {} FROM {} ORDER BY {}",
        column_list(table),
        quoted(table.name),
        table
            .key
            .iter()
            .map(|column| quoted(&column.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let insert = batch::insert_statement(table);
    let mut checksum = Checksum::default();
    let mut pending = Vec::with_capacity(batch::ROWS);
    let mut rows = sqlx::query(&select).fetch(&mut *read);
    while let Some(row) = rows.try_next().await.map_err(MigrateError::source)? {
        let values = value::from_sqlite(table.name, &table.columns, &row)?;
        checksum.add(&values);
        pending.push(values);
        if pending.len() == batch::ROWS {
            batch::insert(write, table, &insert, &pending).await?;
            pending.clear();
        }
    }
    if !pending.is_empty() {
        batch::insert(write, table, &insert, &pending).await?;
    }
    Ok(checksum.finish())
}

/// The table's rows as the target now holds them, read back in the order the source was read:
/// text keys compared bytewise (`COLLATE "C"`), as SQLite compares them.
async fn target_checksum(
    write: &mut PgConnection,
    table: &Table,
) -> Result<(u64, String), MigrateError> {
    let order: Vec<String> = table
        .key
        .iter()
        .map(|column| match column.kind {
            Kind::Text => format!("{} COLLATE \"C\"", quoted(&column.name)),
            _ => quoted(&column.name),
        })
        .collect();
    let select = format!(
        "SELECT {} FROM {} ORDER BY {}",
        column_list(table),
        quoted(table.name),
        order.join(", ")
    );
    let mut checksum = Checksum::default();
    let mut rows = sqlx::query(&select).fetch(&mut *write);
    while let Some(row) = rows.try_next().await.map_err(MigrateError::target)? {
        checksum.add(&value::from_postgres(table.name, &table.columns, &row)?);
    }
    Ok(checksum.finish())
}

fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|column| quoted(&column.name))
        .collect::<Vec<_>>()
        .join(", ")
}
