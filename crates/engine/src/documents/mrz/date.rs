//! Dates as the MRZ prints them, YYMMDD, and the century each needs. A birth date is in the
//! past; an expiry date is near the present, since documents are valid for at most about ten
//! years and are presented at most a few decades after expiring.

use std::fmt;

/// How far before the reference year an expiry date is looked for.
const EXPIRY_YEARS_BEFORE: i32 = 20;
/// How far after the reference year an expiry date is looked for.
const EXPIRY_YEARS_AFTER: i32 = 30;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MrzDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl MrzDate {
    /// `None` unless the day exists: months 1-12, 29 February in leap years only.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Self { year, month, day })
    }

    /// The same day as chrono's date, for code that compares it with dates from elsewhere.
    pub fn naive(self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }
}

impl fmt::Display for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Every fourth year, but not every hundredth, but every four hundredth. (`checked_rem`, since
/// `is_multiple_of` is newer than the workspace's Rust 1.85 and clippy asks for it over `%`.)
fn is_leap(year: u16) -> bool {
    let divisible = |by: u16| year.checked_rem(by) == Some(0);
    divisible(4) && (!divisible(100) || divisible(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = is_leap(year);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// YY, MM and DD, if `printed` is six digits.
fn digits(printed: &[u8]) -> Option<(i32, u8, u8)> {
    let &[y1, y2, m1, m2, d1, d2] = printed else {
        return None;
    };
    let pair = |tens: u8, units: u8| {
        (tens.is_ascii_digit() && units.is_ascii_digit())
            .then(|| (tens - b'0') * 10 + (units - b'0'))
    };
    Some((i32::from(pair(y1, y2)?), pair(m1, m2)?, pair(d1, d2)?))
}

fn date(year: i32, month: u8, day: u8) -> Option<MrzDate> {
    MrzDate::new(u16::try_from(year).ok()?, month, day)
}

/// A birth date is not after the reference year: a YY over the reference's is in the previous
/// century (with 2025, '74' is 1974 and '25' is 2025). People over 100 are read 100 years too
/// young, which the two digits cannot avoid.
pub(super) fn birth_date(printed: &[u8], reference_year: u16) -> Option<MrzDate> {
    let (yy, month, day) = digits(printed)?;
    let reference = i32::from(reference_year);
    let century = reference - reference % 100;
    let year = if yy > reference % 100 {
        century - 100 + yy
    } else {
        century + yy
    };
    date(year, month, day)
}

/// An expiry date falls within 20 years before and 30 after the reference year. That window
/// has 51 years, so for about half of the YYs no century fits; those take the century that
/// puts the date nearest the window, the earlier one on a tie (an old document is likelier than
/// one valid for 50 more years).
pub(super) fn expiry_date(printed: &[u8], reference_year: u16) -> Option<MrzDate> {
    let (yy, month, day) = digits(printed)?;
    let reference = i32::from(reference_year);
    let (earliest, latest) = (
        reference - EXPIRY_YEARS_BEFORE,
        reference + EXPIRY_YEARS_AFTER,
    );
    let distance = |year: i32| (earliest - year).max(year - latest).max(0);
    let same_century = reference - reference % 100 + yy;
    let year = [same_century - 100, same_century, same_century + 100]
        .into_iter()
        .min_by_key(|&year| distance(year))?;
    date(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: u16, month: u8, day: u8) -> Option<MrzDate> {
        Some(MrzDate { year, month, day })
    }

    #[test]
    fn birth_years_pivot_on_the_reference_year() {
        assert_eq!(birth_date(b"740812", 2025), ymd(1974, 8, 12));
        assert_eq!(birth_date(b"250101", 2025), ymd(2025, 1, 1));
        assert_eq!(birth_date(b"260101", 2025), ymd(1926, 1, 1));
        assert_eq!(birth_date(b"000101", 2025), ymd(2000, 1, 1));
        assert_eq!(birth_date(b"991231", 2000), ymd(1999, 12, 31));
        assert_eq!(birth_date(b"000101", 2000), ymd(2000, 1, 1));
    }

    #[test]
    fn expiry_years_fall_in_the_window_or_nearest_it() {
        assert_eq!(expiry_date(b"120415", 2025), ymd(2012, 4, 15));
        assert_eq!(expiry_date(b"050101", 2025), ymd(2005, 1, 1));
        assert_eq!(expiry_date(b"551231", 2025), ymd(2055, 12, 31));
        assert_eq!(expiry_date(b"350101", 2025), ymd(2035, 1, 1));
        assert_eq!(expiry_date(b"961210", 2025), ymd(1996, 12, 10));
        assert_eq!(expiry_date(b"600101", 2025), ymd(2060, 1, 1));
        // 1980 and 2080 are 25 years from the window: the earlier wins.
        assert_eq!(expiry_date(b"800101", 2025), ymd(1980, 1, 1));
        assert_eq!(expiry_date(b"050101", 1990), ymd(2005, 1, 1));
        assert_eq!(expiry_date(b"750101", 1990), ymd(1975, 1, 1));
    }

    #[test]
    fn days_that_do_not_exist_are_refused() {
        assert_eq!(birth_date(b"741312", 2025), None);
        assert_eq!(birth_date(b"740012", 2025), None);
        assert_eq!(birth_date(b"740800", 2025), None);
        assert_eq!(birth_date(b"740832", 2025), None);
        assert_eq!(birth_date(b"740431", 2025), None);
        assert_eq!(birth_date(b"010229", 2025), None);
        assert_eq!(birth_date(b"000229", 2025), ymd(2000, 2, 29));
        assert_eq!(birth_date(b"960229", 2025), ymd(1996, 2, 29));
        // 2100 is no leap year.
        assert_eq!(expiry_date(b"000229", 2090), None);
        assert_eq!(MrzDate::new(1900, 2, 29), None);
    }

    #[test]
    fn what_is_not_six_digits_is_no_date() {
        assert_eq!(birth_date(b"7408<<", 2025), None);
        assert_eq!(birth_date(b"<<<<<<", 2025), None);
        assert_eq!(birth_date(b"74081", 2025), None);
        assert_eq!(birth_date(b"7408122", 2025), None);
        assert_eq!(expiry_date(b"", 2025), None);
        assert_eq!(expiry_date(b"12O415", 2025), None);
    }

    #[test]
    fn extreme_reference_years_do_not_panic() {
        assert_eq!(birth_date(b"740812", 0), None);
        assert_eq!(birth_date(b"000101", 0), ymd(0, 1, 1));
        assert_eq!(expiry_date(b"600101", u16::MAX), None);
        assert_eq!(birth_date(b"990101", u16::MAX), ymd(65499, 1, 1));
        assert!(expiry_date(b"300101", u16::MAX).is_some());
    }

    #[test]
    fn displays_as_iso_8601() {
        assert_eq!(
            MrzDate {
                year: 1974,
                month: 8,
                day: 12
            }
            .to_string(),
            "1974-08-12"
        );
    }
}
