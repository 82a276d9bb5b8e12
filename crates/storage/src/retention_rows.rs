//! A `retention_settings` row as both backends read it (joined to every tenant, so that a
//! tenant without a row reads as the portal's default).

use verifyd_domain::model::Retention;
use verifyd_domain::repository::RepositoryError;

/// `set` is false when the tenant has no row; `days` NULL keeps forever.
pub(crate) fn retention(
    set: bool,
    days: Option<i64>,
    delete_fraud: i64,
) -> Result<Retention, RepositoryError> {
    if !set {
        return Ok(Retention::default());
    }
    let days = days
        .map(|days| {
            u32::try_from(days).map_err(|error| RepositoryError::Corrupt(format!("days: {error}")))
        })
        .transpose()?;
    Ok(Retention {
        days,
        delete_fraud: delete_fraud != 0,
    })
}
