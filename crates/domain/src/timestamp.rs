//! The specification's timestamp format: UTC, `YYYY-MM-DDThh:mm:ss.SSSZ`.

use chrono::{DateTime, NaiveDateTime, Utc};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

pub fn format(at: DateTime<Utc>) -> String {
    at.format(FORMAT).to_string()
}

/// Parses exactly the specification's format (milliseconds and `Z` required).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    if text.len() != 24 || !text.ends_with('Z') {
        return None;
    }
    NaiveDateTime::parse_from_str(text, FORMAT)
        .ok()
        .map(|naive| naive.and_utc())
}

/// Milliseconds since the epoch: how storage keeps instants, portably across databases.
pub fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_specification_format() {
        let text = "2021-03-05T13:17:49.042Z";
        let parsed = parse(text);
        assert_eq!(parsed.map(format).as_deref(), Some(text));
        assert!(parse("2021-03-05T13:17:49Z").is_none());
        assert!(parse("2021-03-05 13:17:49.042Z").is_none());
    }
}
