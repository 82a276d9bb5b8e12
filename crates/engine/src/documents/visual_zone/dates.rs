//! Printed dates: ICAO documents print day, month (often a name) and year; US licences print
//! month first; Canadian cards day first, month first or the year first.

use chrono::NaiveDate;

use super::normalise::{letters, number_key, words};

/// Which of day and month comes first when the year comes last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateOrder {
    DayFirst,
    MonthFirst,
    /// Either: such a date is read only where it cannot be the other (a day over 12, a
    /// month's name), or with the year first.
    Unknown,
}

/// How far the recogniser's digits are trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Digits {
    /// Only digits read as digits.
    Strict,
    /// Letters OCR confuses with digits taken for them (O for 0, B for 8): enough to confirm
    /// a date, not to contradict one.
    LookAlikes,
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

fn number(part: &str, digits: Digits) -> Option<u32> {
    match digits {
        Digits::Strict => part
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten(),
        // A part holding a digit is a number.
        Digits::LookAlikes => part
            .chars()
            .any(|c| c.is_ascii_digit())
            .then(|| number_key(part).parse().ok())
            .flatten(),
    }
}

fn month_name(part: &str, digits: Digits) -> Option<u32> {
    let name = match digits {
        Digits::Strict => letters(part),
        // "0CT": the digits OCR reads for letters.
        Digits::LookAlikes => letters(
            &part
                .replace('0', "O")
                .replace('1', "I")
                .replace('5', "S")
                .replace('8', "B"),
        ),
    };
    let found = MONTHS
        .iter()
        .position(|names| names.iter().any(|n| name.starts_with(n)))?;
    u32::try_from(found + 1).ok()
}

/// Day and month of a date whose year comes last, from its first two parts.
fn day_and_month(
    first: &str,
    second: &str,
    order: DateOrder,
    digits: Digits,
) -> Option<(u32, u32)> {
    if let Some(month) = month_name(second, digits) {
        return Some((number(first, digits)?, month));
    }
    if let Some(month) = month_name(first, digits) {
        return Some((number(second, digits)?, month));
    }
    let (a, b) = (number(first, digits)?, number(second, digits)?);
    match order {
        DateOrder::DayFirst => Some((a, b)),
        DateOrder::MonthFirst => Some((b, a)),
        DateOrder::Unknown if a > 12 => Some((a, b)),
        DateOrder::Unknown if b > 12 => Some((b, a)),
        DateOrder::Unknown => None,
    }
}

/// A date of three parts with a four-digit year, first or last; with the year last, day and
/// month in `order`.
pub(super) fn printed_date(text: &str, order: DateOrder, digits: Digits) -> Option<NaiveDate> {
    let parts = words(&text.replace(['.', '/', '-'], " "));
    let [first, second, third] = parts.get(..3)? else {
        return None;
    };
    let four_digits = |part: &str| part.len() == 4 && number(part, digits).is_some();
    let (year, month, day) = if four_digits(first) {
        let month = month_name(second, digits).or_else(|| number(second, digits))?;
        (number(first, digits)?, month, number(third, digits)?)
    } else {
        let year = number(third.get(..4)?, digits)?;
        let (day, month) = day_and_month(first, second, order, digits)?;
        (year, month, day)
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}
