//! Rows written to PostgreSQL a thousand at a time: one statement per batch, each column bound
//! as one array and the rows made by `UNNEST`, so that thousands of rows cost a few round trips
//! instead of one each.

use sqlx::PgConnection;
use uuid::Uuid;

use super::schema::{Kind, Table};
use super::value::Value;
use super::MigrateError;

/// Rows per statement.
pub(super) const ROWS: usize = 1000;

/// The `INSERT` of one batch of `table`'s rows.
pub(super) fn insert_statement(table: &Table) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|column| quoted(&column.name))
        .collect();
    let selected: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| match column.kind {
            // A list travels as the JSON text of its items: arrays of arrays do not unnest
            // into rows.
            Kind::TextList => format!(
                "CASE WHEN u.c{index} IS NULL THEN NULL ELSE ARRAY(SELECT e.item FROM \
                 jsonb_array_elements_text(u.c{index}::jsonb) WITH ORDINALITY AS e(item, n) \
                 ORDER BY e.n) END"
            ),
            _ => format!("u.c{index}"),
        })
        .collect();
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let element = match column.kind {
                Kind::Uuid => "uuid",
                Kind::Integer => "bigint",
                Kind::Text | Kind::TextList => "text",
                Kind::Bytes => "bytea",
            };
            format!("${}::{element}[]", index + 1)
        })
        .collect();
    let aliases: Vec<String> = (0..table.columns.len())
        .map(|index| format!("c{index}"))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM UNNEST({}) AS u({})",
        quoted(table.name),
        names.join(", "),
        selected.join(", "),
        arrays.join(", "),
        aliases.join(", ")
    )
}

/// Writes `rows` (each in `table.columns`' order) with `statement`.
pub(super) async fn insert(
    target: &mut PgConnection,
    table: &Table,
    statement: &str,
    rows: &[Vec<Value>],
) -> Result<(), MigrateError> {
    let mut query = sqlx::query(statement);
    for (index, column) in table.columns.iter().enumerate() {
        let values = rows
            .iter()
            .map(|row| row.get(index).unwrap_or(&Value::Null));
        let mismatch = || {
            MigrateError::Source(format!(
                "{}.{}: a value of another kind than the column's",
                table.name, column.name
            ))
        };
        query = match column.kind {
            Kind::Uuid => query.bind(
                values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::Uuid(uuid) => Ok(Some(*uuid)),
                        _ => Err(mismatch()),
                    })
                    .collect::<Result<Vec<Option<Uuid>>, _>>()?,
            ),
            Kind::Integer => query.bind(
                values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::Integer(integer) => Ok(Some(*integer)),
                        _ => Err(mismatch()),
                    })
                    .collect::<Result<Vec<Option<i64>>, _>>()?,
            ),
            Kind::Text => query.bind(
                values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::Text(text) => Ok(Some(text.clone())),
                        _ => Err(mismatch()),
                    })
                    .collect::<Result<Vec<Option<String>>, _>>()?,
            ),
            Kind::Bytes => query.bind(
                values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::Bytes(bytes) => Ok(Some(bytes.clone())),
                        _ => Err(mismatch()),
                    })
                    .collect::<Result<Vec<Option<Vec<u8>>>, _>>()?,
            ),
            Kind::TextList => query.bind(
                values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::List(items) => serde_json::to_string(items)
                            .map(Some)
                            .map_err(|error| MigrateError::Source(error.to_string())),
                        _ => Err(mismatch()),
                    })
                    .collect::<Result<Vec<Option<String>>, _>>()?,
            ),
        };
    }
    query
        .execute(&mut *target)
        .await
        .map_err(|error| MigrateError::Target(format!("writing {}: {error}", table.name)))?;
    Ok(())
}

/// A name as SQL quotes it; names come from the schemas, never from a user.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
