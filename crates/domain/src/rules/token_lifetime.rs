//! `tokenLifetime`: `^\d+[smhd]$`, from 5 minutes to 60 days.

use chrono::Duration;

use super::FieldError;

pub const DEFAULT_SECONDS: i64 = 30 * 60;
const MIN_SECONDS: i64 = 5 * 60;
const MAX_SECONDS: i64 = 60 * 24 * 60 * 60;

pub fn parse(field: &str, value: &str) -> Result<Duration, FieldError> {
    let invalid = || {
        FieldError::new(
            field,
            format!("{value:?} is not a duration like 600s, 30m, 12h or 1d"),
        )
    };
    let unit = value.chars().last().ok_or_else(invalid)?;
    let digits = &value[..value.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let multiplier: i64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(invalid()),
    };
    let seconds = digits
        .parse::<i64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .unwrap_or(i64::MAX);
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(FieldError::new(
            field,
            format!("{value:?} is outside the allowed range of 5m to 60d"),
        ));
    }
    Ok(Duration::seconds(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_range_only() {
        assert_eq!(parse("t", "300s").map(|d| d.num_seconds()), Ok(300));
        assert_eq!(parse("t", "30m").map(|d| d.num_seconds()), Ok(1800));
        assert_eq!(parse("t", "60d").map(|d| d.num_seconds()), Ok(5_184_000));
        for bad in [
            "299s",
            "4m",
            "61d",
            "1441h",
            "10",
            "m",
            "-5m",
            "5 m",
            "5M",
            "1w",
            "99999999999999999999d",
            "５m",
        ] {
            assert!(parse("t", bad).is_err(), "{bad}");
        }
    }
}
