//! Dates as AAMVA prints them: 8 digits, MMDDCCYY in the USA and CCYYMMDD in Canada since
//! version 2, CCYYMMDD in version 1 (which some US issuers ignored).
//!
//! The two orders are rarely both valid: MMDDCCYY read as CCYYMMDD gives a year before 1300,
//! and CCYYMMDD read as MMDDCCYY a month of 19 or 20. So a date that is invalid in the expected
//! order is read in the other, and the caller tells whether that deserves a problem.

use chrono::NaiveDate;

/// Years outside this range are misreadings: nobody alive was born before 1880, and no
/// document expires after 2199.
const YEARS: std::ops::RangeInclusive<i32> = 1880..=2199;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateOrder {
    MonthDayYear,
    YearMonthDay,
}

impl DateOrder {
    fn other(self) -> Self {
        match self {
            Self::MonthDayYear => Self::YearMonthDay,
            Self::YearMonthDay => Self::MonthDayYear,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadDate {
    Expected(NaiveDate),
    OtherOrder(NaiveDate),
    Invalid,
}

pub(super) fn read_date(printed: &str, order: DateOrder) -> ReadDate {
    if let Some(date) = in_order(printed, order) {
        ReadDate::Expected(date)
    } else if let Some(date) = in_order(printed, order.other()) {
        ReadDate::OtherOrder(date)
    } else {
        ReadDate::Invalid
    }
}

fn in_order(printed: &str, order: DateOrder) -> Option<NaiveDate> {
    let digits = printed.as_bytes();
    if digits.len() != 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |from: usize, to: usize| printed.get(from..to)?.parse::<u32>().ok();
    let (year, month, day) = match order {
        DateOrder::MonthDayYear => (number(4, 8)?, number(0, 2)?, number(2, 4)?),
        DateOrder::YearMonthDay => (number(0, 4)?, number(4, 6)?, number(6, 8)?),
    };
    let year = i32::try_from(year)
        .ok()
        .filter(|year| YEARS.contains(year))?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, month, day)
    }

    #[test]
    fn each_order_reads_its_own_dates() {
        assert_eq!(
            Some(read_date("07041990", DateOrder::MonthDayYear)),
            date(1990, 7, 4).map(ReadDate::Expected)
        );
        assert_eq!(
            Some(read_date("19900704", DateOrder::YearMonthDay)),
            date(1990, 7, 4).map(ReadDate::Expected)
        );
    }

    #[test]
    fn a_date_in_the_other_order_is_read_and_told_apart() {
        assert_eq!(
            Some(read_date("19900704", DateOrder::MonthDayYear)),
            date(1990, 7, 4).map(ReadDate::OtherOrder)
        );
        assert_eq!(
            Some(read_date("12311999", DateOrder::YearMonthDay)),
            date(1999, 12, 31).map(ReadDate::OtherOrder)
        );
    }

    #[test]
    fn impossible_dates_are_invalid() {
        for printed in [
            "02301990",
            "02291999",
            "00000000",
            "99999999",
            "1990070",
            "1990-7-4",
            "",
            "0704199O",
            "07041990 ",
            "١٢٣٤٥٦٧٨",
        ] {
            assert_eq!(
                read_date(printed, DateOrder::MonthDayYear),
                ReadDate::Invalid,
                "{printed:?}"
            );
        }
    }

    #[test]
    fn leap_days_exist_in_leap_years_only() {
        assert_eq!(
            Some(read_date("02292000", DateOrder::MonthDayYear)),
            date(2000, 2, 29).map(ReadDate::Expected)
        );
        assert_eq!(
            read_date("19000229", DateOrder::YearMonthDay),
            ReadDate::Invalid
        );
    }
}
