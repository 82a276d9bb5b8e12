//! A tenant's data retention: the vendor portal's "Data Retention" setting
//! (reference/portal-settings.md). Transactions in a final state are purged a number of days
//! after they were created (not after the user's journey), 360 by default, or kept forever;
//! those denied as fraud are kept unless the tenant asks for them to go too.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The portal's default period, in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 360;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    /// Days after its creation that a finished transaction is purged; None keeps it forever.
    pub days: Option<u32>,
    /// Purge transactions denied as fraud too (kept by default, as evidence).
    pub delete_fraud: bool,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            days: Some(DEFAULT_RETENTION_DAYS),
            delete_fraud: false,
        }
    }
}

impl Retention {
    /// Transactions created before this instant are due at `now`; None when kept forever (or
    /// for a period longer than the calendar reaches back, which is the same).
    pub fn created_before(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let days = Duration::try_days(i64::from(self.days?))?;
        now.checked_sub_signed(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_portals_and_forever_has_no_cutoff() {
        let now = DateTime::UNIX_EPOCH + Duration::days(1000);
        let default = Retention::default();
        assert_eq!(default.days, Some(360));
        assert!(!default.delete_fraud);
        assert_eq!(
            default.created_before(now),
            Some(DateTime::UNIX_EPOCH + Duration::days(640))
        );
        let forever = Retention {
            days: None,
            delete_fraud: true,
        };
        assert_eq!(forever.created_before(now), None);
        let beyond = Retention {
            days: Some(u32::MAX),
            delete_fraud: false,
        };
        assert_eq!(beyond.created_before(now), None, "no overflow, nothing due");
    }
}
