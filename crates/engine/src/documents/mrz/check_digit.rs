/// Weights of ICAO 9303 part 3, 4.9, repeated over the field from its first character.
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// The ICAO 9303 check digit of `field` (part 3, 4.9): the values of its characters (digits as
/// themselves, A-Z as 10-35, the filler '<' as 0) times the repeating weights 7, 3, 1, summed,
/// modulo 10. `None` when `field` holds anything else, lower case included: the MRZ cannot print
/// it, so a check digit over it would verify nothing.
pub fn check_digit(field: &str) -> Option<u8> {
    check_digit_of(field.as_bytes())
}

pub(super) fn check_digit_of(field: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (&byte, weight) in field.iter().zip(WEIGHTS.iter().cycle()) {
        sum = (sum + value(byte)? * weight) % 10;
    }
    u8::try_from(sum).ok()
}

/// The value of an MRZ character in check digits.
pub(super) fn value(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// Whether the printed character `check` is the check digit of `data`.
pub(super) fn verifies(data: &[u8], check: u8) -> bool {
    check.is_ascii_digit() && check_digit_of(data) == Some(check - b'0')
}

/// [`verifies`], also accepting a filler as the check digit of a field left empty: ICAO lets
/// the personal number's check digit be '<' when there is no personal number (part 4, 4.2.2).
pub(super) fn verifies_or_empty(data: &[u8], check: u8) -> bool {
    verifies(data, check) || (check == b'<' && data.iter().all(|&byte| byte == b'<'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_icao_worked_examples() {
        // Part 3, 4.9.1: the date 27 July 1952 and the document number of the specimens.
        assert_eq!(check_digit("520727"), Some(3));
        assert_eq!(check_digit("AB2134<<<"), Some(5));
        assert_eq!(check_digit("D23145890"), Some(7));
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
    }

    #[test]
    fn fillers_count_as_zero_and_nothing_sums_to_zero() {
        assert_eq!(check_digit(""), Some(0));
        assert_eq!(check_digit("<<<<<<<<<<<<<<"), Some(0));
        assert_eq!(check_digit("12345"), check_digit("12345<<<<"));
    }

    #[test]
    fn refuses_what_the_mrz_cannot_print() {
        assert_eq!(check_digit("l898902c3"), None);
        assert_eq!(check_digit("L898 902C3"), None);
        assert_eq!(check_digit("Ä"), None);
    }

    #[test]
    fn long_fields_do_not_overflow() {
        let long = "Z".repeat(100_000);
        assert!(check_digit(&long).is_some());
    }

    #[test]
    fn verification_needs_a_printed_digit() {
        assert!(verifies(b"D23145890", b'7'));
        assert!(!verifies(b"D23145890", b'8'));
        assert!(!verifies(b"<<<", b'<'));
        assert!(verifies_or_empty(b"<<<", b'<'));
        assert!(verifies_or_empty(b"<<<", b'0'));
        assert!(!verifies_or_empty(b"A<<", b'<'));
    }
}
