//! How both backends keep a screening profile's lists (a JSON array of names, NULL for every
//! list in force) and threshold (thousandths, NULL for the matcher's default).

use verifyd_domain::repository::RepositoryError;

pub(crate) fn write(lists: Option<&Vec<String>>) -> Result<Option<String>, RepositoryError> {
    lists
        .map(serde_json::to_string)
        .transpose()
        .map_err(|error| RepositoryError::Corrupt(error.to_string()))
}

pub(crate) fn read(lists: Option<String>) -> Result<Option<Vec<String>>, RepositoryError> {
    lists
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|error| RepositoryError::Corrupt(format!("lists: {error}")))
        })
        .transpose()
}

/// A threshold is a share of 1 (validated 0..1), so thousandths always fit.
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn thousandths(threshold: Option<f64>) -> Option<i64> {
    threshold.map(|share| (share * 1000.0).round() as i64)
}

#[allow(clippy::cast_precision_loss)]
pub(crate) fn threshold(thousandths: Option<i64>) -> Option<f64> {
    thousandths.map(|value| value as f64 / 1000.0)
}
