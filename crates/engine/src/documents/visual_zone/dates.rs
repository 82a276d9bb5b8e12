//! Printed dates: ICAO documents print day, month (often a name) and year; US licences print
//! month first; Canadian cards day first or the year first.

use chrono::NaiveDate;

use super::normalise::{letters, number_key, words};

/// Which of day and month comes first when the year comes last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateOrder {
    DayFirst,
    MonthFirst,
}

const MONTHS: [[&str; 3]; 12] = [
    ["JAN", "JANV", "ENE"],
    ["FEB", "FEVR", "FEB"],
    ["MAR", "MARS", "MAR"],
    ["APR", "AVR", "ABR"],
    ["MAY", "MAI", "MAY"],
    ["JUN", "JUIN", "JUN"],
    ["JUL", "JUIL", "JUL"],
    ["AUG", "AOUT", "AGO"],
    ["SEP", "SEPT", "SEP"],
    ["OCT", "OCT", "OCT"],
    ["NOV", "NOV", "NOV"],
    ["DEC", "DEC", "DIC"],
];

/// A part holding a digit is a number, read through OCR's look-alikes (O for 0).
fn number(part: &str) -> Option<u32> {
    if !part.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    number_key(part).parse().ok()
}

fn month(part: &str) -> Option<u32> {
    number(part).or_else(|| {
        let name = letters(part);
        let found = MONTHS
            .iter()
            .position(|names| names.iter().any(|n| name.starts_with(n)))?;
        u32::try_from(found + 1).ok()
    })
}

/// A date of three parts with a four-digit year, first or last; with the year last, day and
/// month in `order`.
pub(super) fn printed_date(text: &str, order: DateOrder) -> Option<NaiveDate> {
    let parts = words(&text.replace(['.', '/', '-'], " "));
    let [first, second, third] = parts.get(..3)? else {
        return None;
    };
    let four_digits = |part: &str| part.len() == 4 && number(part).is_some();
    let (year, month, day) = if four_digits(first) {
        (number(first)?, month(second)?, number(third)?)
    } else {
        let year = number(third.get(..4)?)?;
        match order {
            DateOrder::DayFirst => (year, month(second)?, number(first)?),
            DateOrder::MonthFirst => (year, month(first)?, number(second)?),
        }
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}
