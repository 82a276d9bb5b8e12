//! Deleted personal data must not stay readable in the database's files. SQLite keeps what a
//! DELETE removed in two places: the freed space of the database file (until it is reused)
//! and the write-ahead log, which holds every page written since the last checkpoint, the
//! deleted rows' earlier versions among them. `secure_delete` (set on every connection) makes
//! SQLite overwrite freed content with zeros; after a deletion commits, a TRUNCATE checkpoint
//! copies the log into the database and empties the log file. A reader in the middle of a
//! long snapshot can keep the checkpoint from finishing: the next deletion's checkpoint, or
//! SQLite's own, then completes it.

use sqlx::{Row, SqlitePool};

/// Checkpoints the log into the database and truncates it; best effort, logged when a reader
/// kept it from completing.
pub(super) async fn checkpoint(pool: &SqlitePool) {
    match sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(pool)
        .await
    {
        Ok(row) => {
            let busy: i64 = row.try_get(0).unwrap_or(0);
            if busy != 0 {
                tracing::info!("a reader kept the checkpoint after a deletion from completing");
            }
        }
        Err(error) => tracing::warn!(%error, "the checkpoint after a deletion failed"),
    }
}
