//! From what the document engine read to the decisions of usability, imageChecks, extraction and
//! dataChecks on an ID. The engine says what is on the document; these rules say what the tenant
//! and the credential's definition make of it.

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use hmac::Mac;
use uuid::Uuid;
use verifyd_types::PreparedData;

use crate::analysers::{DocumentReading, ExtractedFields, ReadingSource};
use crate::catalogue::{self, IdType};
use crate::keyring::{hmac_sha256, LookupKey};
use crate::model::Label;
use crate::model::{AcceptedCountry, Classifier, DecisionType, PredefinedType, Preset};

/// What the decisions depend on besides the reading.
#[derive(Debug, Clone, Copy)]
pub struct DocumentContext<'a> {
    /// The tenant's accepted documents; None accepts every supported one.
    pub accepted: Option<&'a [AcceptedCountry]>,
    pub country_preset: Option<&'a Preset>,
    pub type_preset: Option<&'a Preset>,
    pub back_uploaded: bool,
    pub today: NaiveDate,
    /// What the tenant already knows about the user (the ID's PREPARED_DATA part).
    pub prepared: Option<&'a PreparedData>,
    /// Other accounts of the tenant on which this very document was verified.
    pub verified_elsewhere: &'a [Uuid],
}

/// The document's identity, an HMAC-SHA256 of tenant, country, type and number under the
/// installation's lookup key: equal for one document presented twice to one tenant, never equal
/// across tenants, and useless to anyone reading the database without the key. A document
/// number has too few digits for an unkeyed hash to hide it (nine digits are brute-forced in
/// half an hour), so the key is what keeps the number secret.
///
/// Fingerprints stored before they were keyed (plain SHA-256) no longer match: a document
/// verified before that upgrade is not found as a duplicate when presented again.
pub fn fingerprint(key: &LookupKey, tenant: Uuid, reading: &DocumentReading) -> Option<String> {
    let number = reading.fields.document_number.as_deref()?;
    let country = reading.issuing_country.as_deref()?;
    let id_type = reading.id_type?;
    let mut mac = hmac_sha256(&key.0);
    for part in [
        tenant.to_string().as_str(),
        country,
        id_type.as_str(),
        &number.to_uppercase(),
    ] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    Some(
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect(),
    )
}

/// One capability's decision, before it is attached to credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub decision: DecisionType,
    pub label: Label,
    pub data: Value,
}

impl Decided {
    fn new(decision: DecisionType, label: Label) -> Self {
        Self {
            decision,
            label,
            data: json!({}),
        }
    }

    fn passed() -> Self {
        Self::new(DecisionType::Passed, Label::Ok)
    }

    fn rejected(label: Label) -> Self {
        Self::new(DecisionType::Rejected, label)
    }
}

/// The four decisions, each `None` when its precondition failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDecisions {
    pub usability: Decided,
    pub image_checks: Option<Decided>,
    pub extraction: Option<Decided>,
    pub data_checks: Option<Decided>,
}

/// Fewer lines of text than this, and no MRZ or barcode: not a document.
const DOCUMENT_TEXT_LINES: usize = 3;

/// The dataChecks reason of a licence whose printed front contradicts its barcode, in the
/// words of netverify's reject reason 111 for it (the KYX spec's dataChecks labels name only
/// the MRZ's disagreement with the visual zone).
pub const MISMATCH_PRINTED_BARCODE_DATA: &str = "MISMATCH_PRINTED_BARCODE_DATA";

pub fn decide(reading: &DocumentReading, context: &DocumentContext<'_>) -> DocumentDecisions {
    if reading.source.is_none() {
        return unread(reading);
    }
    let usability = usability(reading, context);
    let image_checks =
        (usability.decision == DecisionType::Passed).then(|| image_checks(reading, context));
    let extraction = image_checks
        .as_ref()
        .filter(|checks| checks.decision == DecisionType::Passed)
        .map(|_| Decided {
            data: extraction_data(reading),
            ..Decided::passed()
        });
    let data_checks = extraction.as_ref().map(|_| data_checks(reading, context));
    DocumentDecisions {
        usability,
        image_checks,
        extraction,
        data_checks,
    }
}

/// Whether the decisions will look at the visual zone's comparison with the MRZ or barcode:
/// only data checks do, and a specimen (SAMPLE), an edited file (MANIPULATED_DOCUMENT), a
/// screen (DIGITAL_COPY) or a colour copy (PHOTOCOPY) is refused before them, an MRZ whose
/// check digit fails (MRZ_CHECKSUM) by the data checks' first rule. The engine skips reading
/// every printed line of such a document: on the colour copies photographed of the
/// real-document benchmark that reading took 0.5-1.1 s of the image's time, on the phone photo
/// of Malta's specimen (its check digit wrong as printed) 0.3 s.
pub fn compares_visual_zone(reading: &DocumentReading) -> bool {
    !(reading.specimen
        || reading.edited_with.is_some()
        || reading.photo_of_screen
        || reading.photocopy
        || reading.check_digits_pass == Some(false))
}

/// Whether the reading identified the document by evidence that cannot come from an unreadable
/// image: an MRZ whose every check digit passes, or a licence barcode (PDF417 carries its own
/// error correction, and the AAMVA record its own structure). An MRZ that fails a check digit
/// may be a misread, so it does not count.
pub fn identified(reading: &DocumentReading) -> bool {
    reading.source.is_some() && reading.check_digits_pass != Some(false)
}

/// Nothing identified the document. Much text means a document whose data verifyd cannot read
/// yet (a licence without barcode, say): its checks are not executed, never passed. Little or
/// no text means a picture of something else; without OCR, verifyd cannot tell.
fn unread(reading: &DocumentReading) -> DocumentDecisions {
    match reading.text_lines {
        Some(lines) if lines < DOCUMENT_TEXT_LINES => DocumentDecisions {
            usability: Decided::rejected(Label::NotADocument),
            image_checks: None,
            extraction: None,
            data_checks: None,
        },
        _ => DocumentDecisions {
            usability: Decided::passed(),
            image_checks: Some(Decided::new(
                DecisionType::NotExecuted,
                Label::TechnicalError,
            )),
            extraction: None,
            data_checks: None,
        },
    }
}

/// Only DEFINED presets restrict; RECOMMENDED ones preselect in the web client.
fn allowed_by(preset: Option<&Preset>, value: &str) -> bool {
    preset.is_none_or(|preset| {
        preset.predefined_type == PredefinedType::Recommended
            || preset.values.iter().any(|allowed| allowed == value)
    })
}

fn usability(reading: &DocumentReading, context: &DocumentContext<'_>) -> Decided {
    // A specimen's test state is no country: imageChecks reports it as SAMPLE.
    if reading.specimen {
        return Decided::passed();
    }
    let (Some(country), Some(id_type)) = (reading.issuing_country.as_deref(), reading.id_type)
    else {
        return Decided::rejected(Label::NotADocument);
    };
    // A copy cannot be checked for what makes the original genuine: the user must show the
    // document itself, whatever its country or type.
    if reading.photocopy {
        return Decided::rejected(Label::Photocopy);
    }
    let supported = catalogue::country(country);
    let accepted_country = context
        .accepted
        .is_none_or(|accepted| accepted.iter().any(|entry| entry.country_code == country));
    if supported.is_none() || !accepted_country || !allowed_by(context.country_preset, country) {
        return Decided::rejected(Label::UnsupportedCountry);
    }
    let supported_type = supported.and_then(|country| {
        country
            .id_types
            .iter()
            .find(|supported| supported.id_type == id_type)
    });
    let accepted_type = context.accepted.is_none_or(|accepted| {
        accepted
            .iter()
            .any(|entry| entry.country_code == country && entry.id_types.contains(&id_type))
    });
    let Some(supported_type) = supported_type.filter(|_| accepted_type) else {
        return Decided::rejected(Label::UnsupportedDocumentType);
    };
    if !allowed_by(context.type_preset, id_type.as_str()) {
        return Decided::rejected(Label::UnsupportedDocumentType);
    }
    if supported_type.back_side && !context.back_uploaded && !back_shown_on_front(reading) {
        return Decided::rejected(Label::MissingPage);
    }
    Decided::passed()
}

/// A scan of both sides of a card on one page, uploaded as the front: the back's MRZ was read
/// on it and the engine measured two cards' worth of document around it.
fn back_shown_on_front(reading: &DocumentReading) -> bool {
    reading.read_from == Some(Classifier::Front) && reading.both_sides_shown
}

/// The checks built so far: specimens, editing software in the metadata, and a document
/// already verified under another account (one document, two customers: a fraud signal).
fn image_checks(reading: &DocumentReading, context: &DocumentContext<'_>) -> Decided {
    if reading.specimen {
        return Decided::rejected(Label::Sample);
    }
    if reading.edited_with.is_some() {
        return Decided::rejected(Label::ManipulatedDocument);
    }
    if reading.photo_of_screen {
        return Decided::rejected(Label::DigitalCopy);
    }
    if !context.verified_elsewhere.is_empty() {
        return Decided {
            data: json!({
                "reasons": ["DOCUMENT_VERIFIED_ON_ANOTHER_ACCOUNT"],
                "accounts": context.verified_elsewhere.iter().map(Uuid::to_string).collect::<Vec<_>>(),
            }),
            ..Decided::rejected(Label::OtherRejection)
        };
    }
    Decided::passed()
}

fn data_checks(reading: &DocumentReading, context: &DocumentContext<'_>) -> Decided {
    let today = context.today;
    if reading.check_digits_pass == Some(false) {
        return Decided::rejected(Label::MrzChecksum);
    }
    // The printed fields that contradict the MRZ or the barcode: one of the two was changed
    // after issue.
    if let Some(visual) = reading
        .visual_zone
        .as_ref()
        .filter(|visual| !visual.mismatched.is_empty())
    {
        return match reading.source {
            Some(ReadingSource::Barcode) => Decided {
                data: json!({
                    "reasons": [MISMATCH_PRINTED_BARCODE_DATA],
                    "fields": visual.mismatched,
                }),
                ..Decided::rejected(Label::MismatchingDatapoints)
            },
            Some(ReadingSource::Mrz) | None => Decided {
                data: json!({ "reasons": visual.mismatched }),
                ..Decided::rejected(Label::MismatchHrzMrzData)
            },
        };
    }
    let fields = &reading.fields;
    let mut reasons = Vec::new();
    if let Some(prepared) = context.prepared {
        reasons.extend(prepared_mismatches(fields, prepared));
    }
    if fields.expiry_date.is_some_and(|expiry| expiry < today) {
        reasons.push("DOCUMENT_EXPIRED");
    }
    if implausible_dates(fields, today) {
        reasons.push("IMPLAUSIBLE_DATES");
    }
    if reasons.is_empty() {
        Decided::passed()
    } else {
        Decided {
            data: json!({ "reasons": reasons }),
            ..Decided::rejected(Label::MismatchingDatapoints)
        }
    }
}

/// Letters only, upper case, Latin letters with diacritics folded as the MRZ transliterates
/// them (part 3, 6.A): what two spellings of one name have in common.
fn letters(name: &str) -> Vec<String> {
    name.to_uppercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '<' || c == ',')
        .map(|word| {
            word.chars()
                .flat_map(|c| match c {
                    'Ä' | 'Æ' => "AE".chars().collect::<Vec<_>>(),
                    'Ö' | 'Ø' => "OE".chars().collect(),
                    'Ü' => "UE".chars().collect(),
                    'ß' => "SS".chars().collect(),
                    'Á' | 'À' | 'Â' | 'Ã' | 'Å' => vec!['A'],
                    'É' | 'È' | 'Ê' | 'Ë' => vec!['E'],
                    'Í' | 'Ì' | 'Î' | 'Ï' => vec!['I'],
                    'Ó' | 'Ò' | 'Ô' | 'Õ' => vec!['O'],
                    'Ú' | 'Ù' | 'Û' => vec!['U'],
                    'Ç' => vec!['C'],
                    'Ñ' => vec!['N'],
                    c if c.is_ascii_uppercase() => vec![c],
                    _ => Vec::new(),
                })
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// Every word the tenant gave is among the document's (a document may carry more given names
/// than the tenant knows, or a single-letter umlaut spelling).
fn same_name(prepared: &str, document: &str) -> bool {
    let document = letters(document);
    let prepared = letters(prepared);
    !prepared.is_empty() && prepared.iter().all(|word| document.contains(word))
}

/// The datapoints where the document contradicts the tenant's prepared data; a datapoint either
/// side lacks is not compared.
fn prepared_mismatches(fields: &ExtractedFields, prepared: &PreparedData) -> Vec<&'static str> {
    let mut mismatches = Vec::new();
    let pairs = [
        ("FIRST_NAME", &prepared.first_name, &fields.first_name),
        ("LAST_NAME", &prepared.last_name, &fields.last_name),
    ];
    for (reason, given, read) in pairs {
        if let (Some(given), Some(read)) = (given, read) {
            if !same_name(given, read) {
                mismatches.push(reason);
            }
        }
    }
    if let (Some(given), Some(read)) = (&prepared.date_of_birth, fields.date_of_birth) {
        if NaiveDate::parse_from_str(given, "%Y-%m-%d").ok() != Some(read) {
            mismatches.push("DATE_OF_BIRTH");
        }
    }
    if let (Some(given), Some(read)) = (&prepared.sex, &fields.gender) {
        if given != read && read != "X" {
            mismatches.push("SEX");
        }
    }
    if let (Some(given), Some(read)) = (&prepared.nationality, &fields.nationality) {
        if given != read {
            mismatches.push("NATIONALITY");
        }
    }
    // performNetverify's `number`, `expiry` and `usState` are kept under `id` (the KYX
    // PREPARED_DATA's object of "personal details as they appear on the identifying document").
    let id_text = |key: &str| {
        prepared
            .id
            .as_ref()
            .and_then(|id| id.get(key))
            .and_then(Value::as_str)
    };
    let codes = [
        (
            "DOCUMENT_NUMBER",
            id_text("number"),
            fields.document_number.as_deref(),
        ),
        (
            "PERSONAL_NUMBER",
            prepared.personal_number.as_deref(),
            fields.personal_number.as_deref(),
        ),
        ("US_STATE", id_text("usState"), fields.state.as_deref()),
    ];
    for (reason, given, read) in codes {
        if let (Some(given), Some(read)) = (given.map(code), read.map(code)) {
            if !given.is_empty() && !read.is_empty() && given != read {
                mismatches.push(reason);
            }
        }
    }
    if let (Some(given), Some(read)) = (id_text("expiry"), fields.expiry_date) {
        if NaiveDate::parse_from_str(given, "%Y-%m-%d").ok() != Some(read) {
            mismatches.push("EXPIRY_DATE");
        }
    }
    mismatches
}

/// A number or code as the document and the customer both mean it: its letters and digits,
/// upper case. The MRZ pads with `<`, a licence may print dashes or spaces, a customer types
/// what the printed field shows.
fn code(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Born in the future, issued before birth or in the future, or expiring before birth.
fn implausible_dates(fields: &ExtractedFields, today: NaiveDate) -> bool {
    let birth = fields.date_of_birth;
    birth.is_some_and(|birth| birth > today)
        || fields
            .issuing_date
            .is_some_and(|issued| issued > today || birth.is_some_and(|birth| issued < birth))
        || fields
            .expiry_date
            .zip(birth)
            .is_some_and(|(expiry, birth)| expiry <= birth)
}

fn extraction_data(reading: &DocumentReading) -> Value {
    let mut data = Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            data.insert(key.to_owned(), Value::String(value));
        }
    };
    let date = |date: Option<NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string());
    let fields = &reading.fields;
    put(
        "type",
        reading.id_type.map(|t| IdType::as_str(t).to_owned()),
    );
    put("subType", reading.sub_type.clone());
    put("issuingCountry", reading.issuing_country.clone());
    put("firstName", fields.first_name.clone());
    put("lastName", fields.last_name.clone());
    put("dateOfBirth", date(fields.date_of_birth));
    put("expiryDate", date(fields.expiry_date));
    put("issuingDate", date(fields.issuing_date));
    put("documentNumber", fields.document_number.clone());
    put("state", fields.state.clone());
    put("personalNumber", fields.personal_number.clone());
    put("optionalMrzField1", fields.optional_mrz_field_1.clone());
    put("optionalMrzField2", fields.optional_mrz_field_2.clone());
    put("gender", fields.gender.clone());
    put("nationality", fields.nationality.clone());
    if let Some(address) = &fields.address {
        data.insert("address".to_owned(), address.clone());
    }
    if !fields.dl_categories.is_empty() {
        data.insert(
            "dlCategories".to_owned(),
            Value::Array(
                fields
                    .dl_categories
                    .iter()
                    .map(|category| json!({ "category": category }))
                    .collect(),
            ),
        );
    }
    Value::Object(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysers::{ReadingSource, VisualZoneCheck};
    use crate::keyring::Keyring;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    fn passport(country: &str) -> DocumentReading {
        DocumentReading {
            source: Some(ReadingSource::Mrz),
            id_type: Some(IdType::Passport),
            sub_type: None,
            issuing_country: Some(country.to_owned()),
            fields: ExtractedFields {
                last_name: Some("ERIKSSON".to_owned()),
                date_of_birth: NaiveDate::from_ymd_opt(1974, 8, 12),
                expiry_date: NaiveDate::from_ymd_opt(2031, 4, 15),
                document_number: Some("L898902C3".to_owned()),
                ..ExtractedFields::default()
            },
            check_digits_pass: Some(true),
            specimen: false,
            edited_with: None,
            read_from: None,
            both_sides_shown: false,
            text_lines: Some(12),
            visual_zone: None,
            photo_of_screen: false,
            photocopy: false,
        }
    }

    fn context() -> DocumentContext<'static> {
        DocumentContext {
            accepted: None,
            country_preset: None,
            type_preset: None,
            back_uploaded: false,
            today: today(),
            prepared: None,
            verified_elsewhere: &[],
        }
    }

    fn labels(decisions: &DocumentDecisions) -> Vec<String> {
        [
            Some(&decisions.usability),
            decisions.image_checks.as_ref(),
            decisions.extraction.as_ref(),
            decisions.data_checks.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|decided| decided.label.to_string())
        .collect()
    }

    #[test]
    fn a_valid_passport_passes_every_check_with_its_data() {
        let decisions = decide(&passport("SWE"), &context());
        assert_eq!(labels(&decisions), ["OK", "OK", "OK", "OK"]);
        let data = decisions.extraction.map(|e| e.data).unwrap_or_default();
        assert_eq!(data["documentNumber"], "L898902C3");
        assert_eq!(data["dateOfBirth"], "1974-08-12");
        assert_eq!(data["type"], "PASSPORT");
    }

    #[test]
    fn each_failure_stops_the_chain_with_its_label() {
        let mut none = passport("SWE");
        none.source = None;
        none.text_lines = Some(0);
        assert_eq!(labels(&decide(&none, &context())), ["NOT_A_DOCUMENT"]);
        // Text but nothing verifyd can read: not executed, never passed.
        none.text_lines = Some(20);
        assert_eq!(
            labels(&decide(&none, &context())),
            ["OK", "TECHNICAL_ERROR"]
        );
        none.text_lines = None;
        assert_eq!(
            labels(&decide(&none, &context())),
            ["OK", "TECHNICAL_ERROR"]
        );

        let mut specimen = passport("UTO");
        specimen.specimen = true;
        assert_eq!(labels(&decide(&specimen, &context())), ["OK", "SAMPLE"]);

        let mut edited = passport("SWE");
        edited.edited_with = Some("Adobe Photoshop".to_owned());
        assert_eq!(
            labels(&decide(&edited, &context())),
            ["OK", "MANIPULATED_DOCUMENT"]
        );

        let mut on_screen = passport("SWE");
        on_screen.photo_of_screen = true;
        assert_eq!(
            labels(&decide(&on_screen, &context())),
            ["OK", "DIGITAL_COPY"]
        );

        let mut copied = passport("XYZ");
        copied.photocopy = true;
        assert_eq!(labels(&decide(&copied, &context())), ["PHOTOCOPY"]);

        let mut bad_digits = passport("SWE");
        bad_digits.check_digits_pass = Some(false);
        assert_eq!(
            labels(&decide(&bad_digits, &context())),
            ["OK", "OK", "OK", "MRZ_CHECKSUM"]
        );

        let mut expired = passport("SWE");
        expired.fields.expiry_date = NaiveDate::from_ymd_opt(2020, 1, 1);
        let decisions = decide(&expired, &context());
        assert_eq!(
            labels(&decisions),
            ["OK", "OK", "OK", "MISMATCHING_DATAPOINTS"]
        );
        assert_eq!(
            decisions.data_checks.map(|d| d.data),
            Some(json!({"reasons": ["DOCUMENT_EXPIRED"]}))
        );

        let mut forged = passport("SWE");
        forged.visual_zone = Some(VisualZoneCheck {
            compared: vec!["LAST_NAME".to_owned(), "DATE_OF_BIRTH".to_owned()],
            mismatched: vec!["LAST_NAME".to_owned()],
        });
        let decisions = decide(&forged, &context());
        assert_eq!(
            labels(&decisions),
            ["OK", "OK", "OK", "MISMATCH_HRZ_MRZ_DATA"]
        );
        assert_eq!(
            decisions.data_checks.map(|d| d.data),
            Some(json!({"reasons": ["LAST_NAME"]}))
        );
        let mut forged_licence = passport("USA");
        forged_licence.source = Some(ReadingSource::Barcode);
        forged_licence.id_type = Some(IdType::DrivingLicense);
        forged_licence.check_digits_pass = None;
        forged_licence.visual_zone = Some(VisualZoneCheck {
            compared: vec!["LAST_NAME".to_owned(), "EXPIRY_DATE".to_owned()],
            mismatched: vec!["EXPIRY_DATE".to_owned()],
        });
        let both_sides = DocumentContext {
            back_uploaded: true,
            ..context()
        };
        let decisions = decide(&forged_licence, &both_sides);
        assert_eq!(
            labels(&decisions),
            ["OK", "OK", "OK", "MISMATCHING_DATAPOINTS"]
        );
        assert_eq!(
            decisions.data_checks.map(|d| d.data),
            Some(json!({
                "reasons": ["MISMATCH_PRINTED_BARCODE_DATA"],
                "fields": ["EXPIRY_DATE"],
            }))
        );
        let mut agreeing = passport("SWE");
        agreeing.visual_zone = Some(VisualZoneCheck {
            compared: vec!["LAST_NAME".to_owned()],
            mismatched: Vec::new(),
        });
        assert_eq!(
            labels(&decide(&agreeing, &context())),
            ["OK", "OK", "OK", "OK"]
        );

        let mut unborn = passport("SWE");
        unborn.fields.date_of_birth = NaiveDate::from_ymd_opt(2030, 1, 1);
        assert_eq!(
            labels(&decide(&unborn, &context()))
                .last()
                .map(String::as_str),
            Some("MISMATCHING_DATAPOINTS")
        );
    }

    #[test]
    fn tenant_and_credential_decide_what_is_supported() {
        let accepted = [AcceptedCountry {
            country_code: "NLD".to_owned(),
            id_types: vec![IdType::Passport],
        }];
        let only_nld = DocumentContext {
            accepted: Some(&accepted),
            ..context()
        };
        assert_eq!(
            labels(&decide(&passport("SWE"), &only_nld)),
            ["UNSUPPORTED_COUNTRY"]
        );
        assert_eq!(labels(&decide(&passport("NLD"), &only_nld))[0], "OK");
        let mut card = passport("NLD");
        card.id_type = Some(IdType::IdCard);
        assert_eq!(
            labels(&decide(&card, &only_nld)),
            ["UNSUPPORTED_DOCUMENT_TYPE"]
        );

        let defined = Preset {
            predefined_type: PredefinedType::Defined,
            values: vec!["AUT".to_owned()],
        };
        let recommended = Preset {
            predefined_type: PredefinedType::Recommended,
            ..defined.clone()
        };
        let with = |preset| DocumentContext {
            country_preset: Some(preset),
            ..context()
        };
        assert_eq!(
            labels(&decide(&passport("SWE"), &with(&defined))),
            ["UNSUPPORTED_COUNTRY"]
        );
        assert_eq!(
            labels(&decide(&passport("SWE"), &with(&recommended)))[0],
            "OK"
        );

        // An ID card has two sides: the back must be there.
        let mut card = passport("SWE");
        card.id_type = Some(IdType::IdCard);
        assert_eq!(labels(&decide(&card, &context())), ["MISSING_PAGE"]);
        let both_sides = DocumentContext {
            back_uploaded: true,
            ..context()
        };
        assert_eq!(labels(&decide(&card, &both_sides))[0], "OK");

        // The back alone, uploaded as the front: still a missing page.
        let mut back_as_front = card.clone();
        back_as_front.read_from = Some(Classifier::Front);
        assert_eq!(
            labels(&decide(&back_as_front, &context())),
            ["MISSING_PAGE"]
        );
        // Both sides scanned on one page: two cards' worth of document around the MRZ.
        let mut one_page = back_as_front.clone();
        one_page.both_sides_shown = true;
        assert_eq!(labels(&decide(&one_page, &context()))[0], "OK");
    }

    #[test]
    fn prepared_data_that_the_document_contradicts_is_a_mismatch() {
        let mut reading = passport("SWE");
        reading.fields.first_name = Some("ANNA MARIA".to_owned());
        let agreeing = PreparedData {
            first_name: Some("Anna".to_owned()),
            last_name: Some("Eriksson".to_owned()),
            date_of_birth: Some("1974-08-12".to_owned()),
            ..PreparedData::default()
        };
        let with = |prepared| DocumentContext {
            prepared: Some(prepared),
            ..context()
        };
        assert_eq!(
            labels(&decide(&reading, &with(&agreeing)))
                .last()
                .map(String::as_str),
            Some("OK")
        );
        let contradicting = PreparedData {
            last_name: Some("Andersson".to_owned()),
            date_of_birth: Some("1974-08-13".to_owned()),
            ..agreeing.clone()
        };
        let decisions = decide(&reading, &with(&contradicting));
        assert_eq!(
            decisions.data_checks.map(|d| (d.label.to_string(), d.data)),
            Some((
                "MISMATCHING_DATAPOINTS".to_owned(),
                json!({"reasons": ["LAST_NAME", "DATE_OF_BIRTH"]})
            ))
        );
        // The document's number, expiry and personal number, as performNetverify gives them.
        reading.fields.personal_number = Some("19740812<1234".to_owned());
        let mut id = Map::new();
        id.insert("number".to_owned(), json!("l898902-c3"));
        id.insert("expiry".to_owned(), json!("2031-04-15"));
        let same_document = PreparedData {
            personal_number: Some("19740812 1234".to_owned()),
            id: Some(id.clone()),
            ..PreparedData::default()
        };
        assert_eq!(
            labels(&decide(&reading, &with(&same_document)))
                .last()
                .map(String::as_str),
            Some("OK")
        );
        id.insert("number".to_owned(), json!("L898902C4"));
        id.insert("expiry".to_owned(), json!("2031-04-16"));
        let other_document = PreparedData {
            personal_number: Some("197408121235".to_owned()),
            id: Some(id),
            ..PreparedData::default()
        };
        assert_eq!(
            decide(&reading, &with(&other_document))
                .data_checks
                .map(|d| d.data),
            Some(json!({"reasons": ["DOCUMENT_NUMBER", "PERSONAL_NUMBER", "EXPIRY_DATE"]}))
        );
        // The MRZ spells Ö as OE.
        reading.fields.last_name = Some("JOENSSOEN".to_owned());
        let umlaut = PreparedData {
            last_name: Some("Jönssön".to_owned()),
            ..PreparedData::default()
        };
        assert_eq!(
            labels(&decide(&reading, &with(&umlaut)))
                .last()
                .map(String::as_str),
            Some("OK")
        );
    }

    #[test]
    fn a_document_verified_on_another_account_is_rejected() {
        let other = [Uuid::from_u128(7)];
        let context = DocumentContext {
            verified_elsewhere: &other,
            ..context()
        };
        let decisions = decide(&passport("SWE"), &context);
        assert_eq!(labels(&decisions), ["OK", "OTHER_REJECTION"]);
        let tenant = Uuid::from_u128(1);
        let reading = passport("SWE");
        let keyring = Keyring::derive(&[1; 32]);
        let key = keyring.lookup();
        assert_eq!(
            fingerprint(key, tenant, &reading),
            fingerprint(key, tenant, &reading.clone())
        );
        assert_ne!(
            fingerprint(key, tenant, &reading),
            fingerprint(key, Uuid::from_u128(2), &reading),
            "tenants never share fingerprints"
        );
        let fingerprint = fingerprint(key, tenant, &reading).unwrap_or_default();
        assert!(!fingerprint.contains("L898902C3"));
    }

    #[test]
    fn another_key_gives_another_fingerprint() {
        let tenant = Uuid::from_u128(1);
        let reading = passport("SWE");
        let one = fingerprint(Keyring::derive(&[1; 32]).lookup(), tenant, &reading);
        let other = fingerprint(Keyring::derive(&[2; 32]).lookup(), tenant, &reading);
        assert!(one.is_some());
        assert_ne!(
            one, other,
            "the database alone does not recompute a fingerprint"
        );
    }

    #[test]
    fn the_visual_zone_is_skipped_only_where_no_decision_would_look_at_it() {
        let mismatched = || {
            Some(VisualZoneCheck {
                compared: vec!["LAST_NAME".to_owned()],
                mismatched: vec!["LAST_NAME".to_owned()],
            })
        };
        let mut genuine = passport("SWE");
        assert!(compares_visual_zone(&genuine));
        genuine.visual_zone = mismatched();
        assert!(decide(&genuine, &context()).data_checks.is_some());

        let mut refused = Vec::new();
        let mut specimen = passport("UTO");
        specimen.specimen = true;
        refused.push(specimen);
        let mut edited = passport("SWE");
        edited.edited_with = Some("GIMP".to_owned());
        refused.push(edited);
        let mut on_screen = passport("SWE");
        on_screen.photo_of_screen = true;
        refused.push(on_screen);
        let mut copied = passport("SWE");
        copied.photocopy = true;
        refused.push(copied);
        for mut reading in refused {
            assert!(!compares_visual_zone(&reading), "{reading:?}");
            reading.visual_zone = mismatched();
            assert_eq!(
                decide(&reading, &context()).data_checks,
                None,
                "{reading:?}"
            );
        }

        // Data checks are decided, but by the check digit before the printed fields.
        let mut bad_check = passport("SWE");
        bad_check.check_digits_pass = Some(false);
        assert!(!compares_visual_zone(&bad_check));
        let unread = decide(&bad_check, &context()).data_checks;
        bad_check.visual_zone = mismatched();
        let mismatching = decide(&bad_check, &context()).data_checks;
        assert_eq!(unread, mismatching);
        assert!(mismatching.is_some_and(|decided| decided.label == Label::MrzChecksum));
    }
}
