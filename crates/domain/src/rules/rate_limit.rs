//! The specification's limits on initiation (account create/update): by default 3 per second
//! and 180 per minute per tenant. The rule is a sliding log over the last minute: where the log
//! is kept (one process's memory, or the shared database so that every node counts the same
//! initiations) is the caller's business; what it admits is decided here, once.

use chrono::{DateTime, Duration, Utc};

/// Initiations allowed per tenant; 0 leaves a window unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub per_second: usize,
    pub per_minute: usize,
}

/// How far back the log must reach for [`admit`] to decide.
pub const WINDOW: Duration = Duration::minutes(1);

/// Whether an initiation at `now` is admitted, given the tenant's earlier initiations within
/// [`WINDOW`] (older ones are ignored; any order). Refused: the whole seconds to wait, as the
/// `Retry-After` header states them, at least 1.
pub fn admit(recent: &[DateTime<Utc>], now: DateTime<Utc>, limits: RateLimits) -> Result<(), u64> {
    let mut recent: Vec<DateTime<Utc>> = recent
        .iter()
        .copied()
        .filter(|at| now - *at < WINDOW)
        .collect();
    recent.sort_unstable();
    let in_last_second = recent
        .iter()
        .rev()
        .take_while(|at| now - **at < Duration::seconds(1))
        .count();
    let wait_until = if limits.per_minute > 0 && recent.len() >= limits.per_minute {
        // The oldest of the last `per_minute` leaves the window first.
        recent
            .len()
            .checked_sub(limits.per_minute)
            .and_then(|index| recent.get(index))
            .map(|oldest| *oldest + WINDOW)
    } else if limits.per_second > 0 && in_last_second >= limits.per_second {
        recent
            .len()
            .checked_sub(limits.per_second)
            .and_then(|index| recent.get(index))
            .map(|oldest| *oldest + Duration::seconds(1))
    } else {
        None
    };
    match wait_until {
        Some(until) => {
            let millis = (until - now).num_milliseconds().max(1);
            Err(u64::try_from((millis + 999) / 1000).unwrap_or(1))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `admit` over an in-memory log, as one process would.
    fn check(
        log: &mut Vec<DateTime<Utc>>,
        now: DateTime<Utc>,
        limits: RateLimits,
    ) -> Result<(), u64> {
        admit(log, now, limits)?;
        log.push(now);
        Ok(())
    }

    #[test]
    fn enforces_both_windows_and_says_how_long_to_wait() {
        let limits = RateLimits {
            per_second: 3,
            per_minute: 5,
        };
        let mut log = Vec::new();
        let start = DateTime::<Utc>::UNIX_EPOCH;
        for _ in 0..3 {
            assert_eq!(check(&mut log, start, limits), Ok(()));
        }
        assert_eq!(check(&mut log, start, limits), Err(1));
        let later = start + Duration::seconds(1);
        assert_eq!(check(&mut log, later, limits), Ok(()));
        assert_eq!(check(&mut log, later, limits), Ok(()));
        assert_eq!(
            check(&mut log, later + Duration::seconds(2), limits),
            Err(57),
            "5 per minute used"
        );
        assert_eq!(
            check(&mut log, start + Duration::minutes(1), limits),
            Ok(())
        );
    }

    #[test]
    fn a_zero_window_is_no_limit() {
        let limits = RateLimits {
            per_second: 3,
            per_minute: 0,
        };
        let mut log = Vec::new();
        let start = DateTime::<Utc>::UNIX_EPOCH;
        for second in 0..100 {
            for _ in 0..3 {
                assert_eq!(
                    check(&mut log, start + Duration::seconds(second), limits),
                    Ok(())
                );
            }
        }
        let unlimited = RateLimits {
            per_second: 0,
            per_minute: 0,
        };
        assert_eq!(
            admit(&log, start + Duration::seconds(99), unlimited),
            Ok(())
        );
    }

    #[test]
    fn entries_older_than_the_window_and_out_of_order_do_not_matter() {
        let limits = RateLimits {
            per_second: 2,
            per_minute: 3,
        };
        let start = DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(5);
        let log = vec![
            start - Duration::minutes(3),
            start - Duration::milliseconds(100),
            start - Duration::minutes(2),
            start - Duration::milliseconds(500),
        ];
        assert_eq!(admit(&log, start, limits), Err(1), "two in the last second");
        assert_eq!(admit(&log, start + Duration::seconds(1), limits), Ok(()));
    }
}
