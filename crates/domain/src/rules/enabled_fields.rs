//! performNetverify's `enabledFields`: "If a field is not listed in this parameter, it will not
//! be processed for this transaction." The document is still read whole (its check digits and
//! barcode decide whether it is genuine-looking), but a field left out is removed from the
//! extraction before it is stored, so it is neither reported nor kept. The customer's data for
//! such a field is dropped at validation, so it is not compared either.

use serde_json::Value;

use crate::model::{ApiOptions, EnabledField};

/// The extraction's keys each enabled field governs. The MRZ's optional data hold a personal
/// number on many documents (NLD, SWE, ...), so they follow `idPersonalNumber`.
fn keys(field: EnabledField) -> &'static [&'static str] {
    match field {
        EnabledField::IdNumber => &["documentNumber"],
        EnabledField::IdFirstName => &["firstName"],
        EnabledField::IdLastName => &["lastName"],
        EnabledField::IdDob => &["dateOfBirth"],
        EnabledField::IdExpiry => &["expiryDate"],
        EnabledField::IdUsState => &["state"],
        EnabledField::IdPersonalNumber => {
            &["personalNumber", "optionalMrzField1", "optionalMrzField2"]
        }
        EnabledField::IdAddress => &["address"],
        EnabledField::IdFaceMatch => &[],
    }
}

/// Removes from an extraction's `data` every field `options` does not enable.
pub fn leave_out(data: &mut Value, options: &ApiOptions) {
    let Some(object) = data.as_object_mut() else {
        return;
    };
    for field in EnabledField::ALL {
        if !options.enabled(field) {
            for key in keys(field) {
                object.remove(*key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_fields_stay_and_the_rest_of_the_document_is_kept() {
        let mut data = serde_json::json!({
            "type": "PASSPORT",
            "issuingCountry": "UTO",
            "firstName": "ANNA",
            "lastName": "ERIKSSON",
            "dateOfBirth": "1974-08-12",
            "documentNumber": "L898902C3",
            "optionalMrzField1": "ZE184226B",
        });
        let options = ApiOptions {
            enabled_fields: Some(vec![EnabledField::IdNumber, EnabledField::IdLastName]),
            ..ApiOptions::default()
        };
        leave_out(&mut data, &options);
        assert_eq!(
            data,
            serde_json::json!({
                "type": "PASSPORT",
                "issuingCountry": "UTO",
                "lastName": "ERIKSSON",
                "documentNumber": "L898902C3",
            })
        );
        let mut every = serde_json::json!({"firstName": "ANNA"});
        leave_out(&mut every, &ApiOptions::default());
        assert_eq!(every, serde_json::json!({"firstName": "ANNA"}));
    }
}
