//! Per-tenant rate limits on initiation (account create/update): by default 3 per second and 180
//! per minute, as the specification states. A sliding log of the last minute's initiations per
//! tenant, on the injected clock so tests move time instead of sleeping. Limits are per process.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_second: usize,
    pub per_minute: usize,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    limits: Option<Limits>,
    log: Mutex<HashMap<Uuid, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits: Some(limits),
            log: Mutex::default(),
        }
    }

    /// Records an initiation now, or says how many seconds to wait before the next one.
    pub fn check(&self, tenant: Uuid, now: DateTime<Utc>) -> Result<(), u64> {
        let Some(limits) = self.limits else {
            return Ok(());
        };
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        let recent = log.entry(tenant).or_default();
        while recent
            .front()
            .is_some_and(|at| now - *at >= Duration::minutes(1))
        {
            recent.pop_front();
        }
        let in_last_second = recent
            .iter()
            .rev()
            .take_while(|at| now - **at < Duration::seconds(1))
            .count();
        let wait_until = if limits.per_minute > 0 && recent.len() >= limits.per_minute {
            recent.front().map(|oldest| *oldest + Duration::minutes(1))
        } else if limits.per_second > 0 && in_last_second >= limits.per_second {
            recent
                .iter()
                .rev()
                .nth(in_last_second - 1)
                .map(|oldest| *oldest + Duration::seconds(1))
        } else {
            None
        };
        match wait_until {
            Some(until) => {
                let millis = (until - now).num_milliseconds().max(1);
                Err(u64::try_from((millis + 999) / 1000).unwrap_or(1))
            }
            None => {
                recent.push_back(now);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_both_windows_and_says_how_long_to_wait() {
        let limiter = RateLimiter::new(Limits {
            per_second: 3,
            per_minute: 5,
        });
        let tenant = Uuid::nil();
        let start = DateTime::<Utc>::UNIX_EPOCH;
        for _ in 0..3 {
            assert_eq!(limiter.check(tenant, start), Ok(()));
        }
        assert_eq!(limiter.check(tenant, start), Err(1));
        assert_eq!(
            limiter.check(Uuid::max(), start),
            Ok(()),
            "tenants are limited separately"
        );
        let later = start + Duration::seconds(1);
        assert_eq!(limiter.check(tenant, later), Ok(()));
        assert_eq!(limiter.check(tenant, later), Ok(()));
        assert_eq!(
            limiter.check(tenant, later + Duration::seconds(2)),
            Err(57),
            "5 per minute used"
        );
        assert_eq!(limiter.check(tenant, start + Duration::minutes(1)), Ok(()));
    }

    #[test]
    fn a_zero_window_is_no_limit() {
        let limiter = RateLimiter::new(Limits {
            per_second: 3,
            per_minute: 0,
        });
        let start = DateTime::<Utc>::UNIX_EPOCH;
        for second in 0..100 {
            for _ in 0..3 {
                assert_eq!(
                    limiter.check(Uuid::nil(), start + Duration::seconds(second)),
                    Ok(())
                );
            }
        }
        let unlimited = RateLimiter::new(Limits {
            per_second: 0,
            per_minute: 0,
        });
        assert!((0..1000).all(|_| unlimited.check(Uuid::nil(), start).is_ok()));
    }
}
