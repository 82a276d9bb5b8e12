//! `PREPARED_DATA`: what the tenant already knows about the user, checked for shape only.

use verifyd_types::PreparedData;

use super::FieldError;
use crate::catalogue;

pub fn validate(data: &PreparedData) -> Result<(), FieldError> {
    let texts = [
        ("suffix", &data.suffix),
        ("firstName", &data.first_name),
        ("middleName", &data.middle_name),
        ("lastName", &data.last_name),
        ("socialSecurityNumber", &data.social_security_number),
        ("email", &data.email),
        ("phoneNumber", &data.phone_number),
        ("phoneNumber2", &data.phone_number2),
        ("personalNumber", &data.personal_number),
    ];
    for (field, value) in texts {
        if let Some(value) = value {
            super::text::free_text(field, value, 255)?;
        }
    }
    if let Some(sex) = &data.sex {
        if sex != "M" && sex != "F" {
            return Err(FieldError::new("sex", "must be M or F"));
        }
    }
    if let Some(date) = &data.date_of_birth {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| FieldError::new("dateOfBirth", "must be a date as YYYY-MM-DD"))?;
    }
    if let Some(nationality) = &data.nationality {
        if !catalogue::is_country(nationality) {
            return Err(FieldError::new(
                "nationality",
                "must be an ISO 3166-1 alpha-3 country code",
            ));
        }
    }
    if let Some(email) = &data.email {
        let well_formed = email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !well_formed {
            return Err(FieldError::new("email", "must be an e-mail address"));
        }
    }
    Ok(())
}
