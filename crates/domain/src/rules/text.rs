//! Rules for the free-text references a tenant attaches to a transaction.

use super::FieldError;

/// Characters the specification forbids in `customerInternalReference`: they are how personal
/// data and injection attempts usually look.
const FORBIDDEN: &[char] = &['<', '>', '"', '/', ';', '`', '%', '{', '}', '|'];

/// A reference: non-empty, at most `max` characters, no control characters, none of `FORBIDDEN`.
pub fn reference(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    let length = value.chars().count();
    if length > max {
        return Err(FieldError::new(
            field,
            format!("is {length} characters long; at most {max} are allowed"),
        ));
    }
    if let Some(bad) = value
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control())
    {
        return Err(FieldError::new(
            field,
            format!("must not contain {bad:?} (forbidden: < > \" / ; ` % {{ }} | and control characters)"),
        ));
    }
    Ok(value.to_owned())
}

/// Free text of at most `max` characters without control characters.
pub fn free_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let length = value.chars().count();
    if length > max {
        return Err(FieldError::new(
            field,
            format!("is {length} characters long; at most {max} are allowed"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_refuse_forbidden_characters_and_overlong_values() {
        assert!(reference("r", "order-42_ä", 100).is_ok());
        for bad in [
            "a<b", "a/b", "x%20", "{}", "a|b", "a`b", "a\"b", "a;b", "a\nb", " ",
        ] {
            assert!(reference("r", bad, 100).is_err(), "{bad:?}");
        }
        assert!(reference("r", &"ä".repeat(100), 100).is_ok());
        assert!(reference("r", &"a".repeat(101), 100).is_err());
    }
}
