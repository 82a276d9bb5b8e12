//! The owners' data keys (migration 0014): made in the transaction that first seals something
//! of the owner, destroyed in the transaction that deletes the owner.

use sqlx::{Row, SqliteConnection};
use uuid::Uuid;
use verifyd_domain::envelope::DataKey;
use verifyd_domain::repository::RepositoryError;

use crate::error::backend;
use crate::sealing::Sealing;

/// `owner`'s wrapped data key, if it has one.
pub(super) async fn wrapped(
    connection: &mut SqliteConnection,
    owner: Uuid,
) -> Result<Option<Vec<u8>>, RepositoryError> {
    sqlx::query("SELECT wrapped FROM data_keys WHERE owner_id = ?")
        .bind(owner.to_string())
        .fetch_optional(&mut *connection)
        .await
        .map_err(backend)?
        .map(|row| row.try_get::<Vec<u8>, _>("wrapped").map_err(backend))
        .transpose()
}

/// `owner`'s data key, made and stored (wrapped) when it has none.
pub(super) async fn get_or_create(
    connection: &mut SqliteConnection,
    sealing: &Sealing,
    tenant: Uuid,
    owner: Uuid,
) -> Result<DataKey, RepositoryError> {
    if let Some(wrapped) = wrapped(connection, owner).await? {
        return sealing.unwrap_key(owner, &wrapped);
    }
    sqlx::query(
        "INSERT INTO data_keys (owner_id, tenant_id, key_id, wrapped) VALUES (?, ?, ?, ?) \
         ON CONFLICT (owner_id) DO NOTHING",
    )
    .bind(owner.to_string())
    .bind(tenant.to_string())
    .bind(sealing.key_id()?)
    .bind(sealing.new_data_key(owner)?)
    .execute(&mut *connection)
    .await
    .map_err(backend)?;
    let stored = wrapped(connection, owner)
        .await?
        .ok_or(RepositoryError::Gone)?;
    sealing.unwrap_key(owner, &stored)
}

/// Destroys `owner`'s data key: whatever was sealed under it can no longer be read anywhere.
pub(super) async fn destroy(
    connection: &mut SqliteConnection,
    owner: Uuid,
) -> Result<(), RepositoryError> {
    sqlx::query("DELETE FROM data_keys WHERE owner_id = ?")
        .bind(owner.to_string())
        .execute(&mut *connection)
        .await
        .map_err(backend)?;
    Ok(())
}
