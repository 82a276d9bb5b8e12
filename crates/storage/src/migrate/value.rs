//! One value of a row, read from either database into the same form, so that the copy writes
//! exactly what the source holds and the checksums of both sides are computed from values, not
//! from how each database spells them (UUID text against UUID, comma lists against arrays).

use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::Uuid;

use super::schema::{Column, Kind};
use super::MigrateError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Value {
    Null,
    Uuid(Uuid),
    Integer(i64),
    Text(String),
    Bytes(Vec<u8>),
    List(Vec<String>),
}

/// A value of a kind both databases store alike (integers, text, bytes), from a row of either.
/// UUIDs and lists differ between them: each side's reader takes those itself (here they read
/// as NULL).
fn stored_alike<'r, R: Row>(row: &'r R, index: usize, kind: Kind) -> Result<Value, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(match kind {
        Kind::Integer => row
            .try_get::<Option<i64>, _>(index)?
            .map_or(Value::Null, Value::Integer),
        Kind::Text => row
            .try_get::<Option<String>, _>(index)?
            .map_or(Value::Null, Value::Text),
        Kind::Bytes => row
            .try_get::<Option<Vec<u8>>, _>(index)?
            .map_or(Value::Null, Value::Bytes),
        Kind::Uuid | Kind::TextList => Value::Null,
    })
}

/// A row of the source as the target will hold it; a value that does not convert (a UUID
/// column whose text is no UUID) is an error naming its table and column.
pub(super) fn from_sqlite(
    table: &str,
    columns: &[Column],
    row: &SqliteRow,
) -> Result<Vec<Value>, MigrateError> {
    columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let read = |error: sqlx::Error| {
                MigrateError::Source(format!("{table}.{}: {error}", column.name))
            };
            Ok(match column.kind {
                Kind::Uuid => match row.try_get::<Option<String>, _>(index).map_err(read)? {
                    None => Value::Null,
                    Some(text) => Value::Uuid(Uuid::parse_str(&text).map_err(|error| {
                        MigrateError::Source(format!(
                            "{table}.{}: {text:?} is not a UUID: {error}",
                            column.name
                        ))
                    })?),
                },
                Kind::Integer | Kind::Text | Kind::Bytes => {
                    stored_alike(row, index, column.kind).map_err(read)?
                }
                // As the SQLite repository reads its lists back (`sqlite/rows.rs`): names
                // joined by commas, empty items ignored.
                Kind::TextList => row
                    .try_get::<Option<String>, _>(index)
                    .map_err(read)?
                    .map_or(Value::Null, |joined| {
                        Value::List(
                            joined
                                .split(',')
                                .filter(|item| !item.is_empty())
                                .map(str::to_owned)
                                .collect(),
                        )
                    }),
            })
        })
        .collect()
}

/// A row of the target, read back to be compared with the source's.
pub(super) fn from_postgres(
    table: &str,
    columns: &[Column],
    row: &PgRow,
) -> Result<Vec<Value>, MigrateError> {
    columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let read = |error: sqlx::Error| {
                MigrateError::Target(format!("{table}.{}: {error}", column.name))
            };
            Ok(match column.kind {
                Kind::Uuid => row
                    .try_get::<Option<Uuid>, _>(index)
                    .map_err(read)?
                    .map_or(Value::Null, Value::Uuid),
                Kind::Integer | Kind::Text | Kind::Bytes => {
                    stored_alike(row, index, column.kind).map_err(read)?
                }
                Kind::TextList => row
                    .try_get::<Option<Vec<String>>, _>(index)
                    .map_err(read)?
                    .map_or(Value::Null, Value::List),
            })
        })
        .collect()
}

/// The SHA-256 of a table's rows in key order: each value tagged with its kind and, where its
/// length varies, prefixed by its length, so that no two different tables of rows feed the
/// same bytes.
#[derive(Default)]
pub(super) struct Checksum {
    hasher: Sha256,
    rows: u64,
}

impl Checksum {
    pub fn add(&mut self, row: &[Value]) {
        self.rows += 1;
        for value in row {
            match value {
                Value::Null => self.hasher.update([0]),
                Value::Uuid(uuid) => {
                    self.hasher.update([1]);
                    self.hasher.update(uuid.as_bytes());
                }
                Value::Integer(integer) => {
                    self.hasher.update([2]);
                    self.hasher.update(integer.to_be_bytes());
                }
                Value::Text(text) => {
                    self.hasher.update([3]);
                    self.sized(text.as_bytes());
                }
                Value::Bytes(bytes) => {
                    self.hasher.update([4]);
                    self.sized(bytes);
                }
                Value::List(items) => {
                    self.hasher.update([5]);
                    self.hasher.update((items.len() as u64).to_be_bytes());
                    for item in items {
                        self.sized(item.as_bytes());
                    }
                }
            }
        }
    }

    fn sized(&mut self, bytes: &[u8]) {
        self.hasher.update((bytes.len() as u64).to_be_bytes());
        self.hasher.update(bytes);
    }

    /// The rows counted and the digest in hex.
    pub fn finish(self) -> (u64, String) {
        (self.rows, hex(&self.hasher.finalize()))
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(rows: &[Vec<Value>]) -> String {
        let mut checksum = Checksum::default();
        for row in rows {
            checksum.add(row);
        }
        checksum.finish().1
    }

    #[test]
    fn values_that_read_alike_as_bytes_hash_apart() {
        let text = |s: &str| Value::Text(s.to_owned());
        // Moving a boundary between two values, or a list item, changes the digest.
        assert_ne!(
            digest(&[vec![text("ab"), text("c")]]),
            digest(&[vec![text("a"), text("bc")]])
        );
        assert_ne!(
            digest(&[vec![Value::List(vec!["a,b".to_owned()])]]),
            digest(&[vec![Value::List(vec!["a".to_owned(), "b".to_owned()])]])
        );
        // NULL is not the empty text, nor an empty list.
        assert_ne!(digest(&[vec![Value::Null]]), digest(&[vec![text("")]]));
        assert_ne!(
            digest(&[vec![Value::List(Vec::new())]]),
            digest(&[vec![Value::Null]])
        );
        // Text and bytes of the same content differ, as do the integer and the UUID.
        assert_ne!(
            digest(&[vec![text("x")]]),
            digest(&[vec![Value::Bytes(b"x".to_vec())]])
        );
        // Row order counts.
        assert_ne!(
            digest(&[vec![Value::Integer(1)], vec![Value::Integer(2)]]),
            digest(&[vec![Value::Integer(2)], vec![Value::Integer(1)]])
        );
    }
}
