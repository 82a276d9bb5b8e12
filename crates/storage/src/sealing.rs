//! The personal columns, sealed under their owner's data key (`verifyd_domain::envelope`): an
//! execution's outcome and its user's consent (their IP address and location), a face template, a Document Verification extraction, a screening
//! report. Both backends seal and open them here, so that the contexts (the associated data
//! binding each value to its column and row) are written once.
//!
//! Reads find the owner's wrapped key in the same row (a sub-select of `data_keys`), so that a
//! row is opened without a second query. A value stored before sealing existed is read as it is.

use uuid::Uuid;
use verifyd_domain::envelope::{DataKey, Envelope};
use verifyd_domain::repository::RepositoryError;

/// A sealed column: its name is part of every value's context.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Column {
    Outcome,
    UserConsent,
    FaceTemplate,
    Extraction,
    ScreeningReport,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Outcome => "workflow_executions.outcome",
            Column::UserConsent => "workflow_executions.user_consent",
            Column::FaceTemplate => "face_templates.template",
            Column::Extraction => "document_verifications.extraction",
            Column::ScreeningReport => "screening_searches.report",
        }
    }

    /// The value's context: the column and the row (its primary key) it is stored in.
    fn context(self, row: Uuid) -> String {
        format!("{}/{row}", self.name())
    }
}

/// The repository's sealing; `None` only for `verifyd migrate`, which copies rows as they are.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sealing(Option<Envelope>);

impl Sealing {
    pub(crate) fn new(envelope: Envelope) -> Self {
        Self(Some(envelope))
    }

    pub(crate) fn envelope(&self) -> Result<&Envelope, RepositoryError> {
        self.0.as_ref().ok_or_else(|| {
            RepositoryError::Backend(
                "this repository was opened without the installation's key".to_owned(),
            )
        })
    }

    /// A new wrapped data key for `owner`.
    pub(crate) fn new_data_key(&self, owner: Uuid) -> Result<Vec<u8>, RepositoryError> {
        Ok(self.envelope()?.new_data_key(owner)?)
    }

    pub(crate) fn key_id(&self) -> Result<&str, RepositoryError> {
        Ok(self.envelope()?.key_id())
    }

    pub(crate) fn unwrap_key(
        &self,
        owner: Uuid,
        wrapped: &[u8],
    ) -> Result<DataKey, RepositoryError> {
        Ok(self.envelope()?.unwrap_key(owner, wrapped)?)
    }

    /// `plain`, to be stored in `column` of `row`.
    pub(crate) fn seal(
        &self,
        key: &DataKey,
        column: Column,
        row: Uuid,
        plain: &str,
    ) -> Result<String, RepositoryError> {
        Ok(self
            .envelope()?
            .seal_text(key, &column.context(row), plain)?)
    }

    /// The value stored in `column` of `row`, opened with `owner`'s data key (`wrapped`, as
    /// the row's sub-select found it). A sealed value whose key is gone cannot be read: its
    /// owner was deleted, and the value is reported corrupt rather than made up.
    pub(crate) fn open(
        &self,
        stored: Option<String>,
        column: Column,
        row: Uuid,
        owner: Uuid,
        wrapped: Option<&[u8]>,
    ) -> Result<Option<String>, RepositoryError> {
        match stored {
            Some(text) if Envelope::is_sealed_text(&text) => {
                let wrapped = wrapped.ok_or_else(|| {
                    RepositoryError::Corrupt(format!(
                        "{}: sealed, and its data key is gone",
                        column.name()
                    ))
                })?;
                let envelope = self.envelope()?;
                let key = envelope.unwrap_key(owner, wrapped)?;
                Ok(Some(envelope.open_text(
                    &key,
                    &column.context(row),
                    &text,
                )?))
            }
            other => Ok(other),
        }
    }
}

/// The sub-select that brings an owner's wrapped data key into a row, as `data_key`.
pub(crate) fn data_key_of(owner_column: &str) -> String {
    format!("(SELECT wrapped FROM data_keys WHERE owner_id = {owner_column}) AS data_key")
}
