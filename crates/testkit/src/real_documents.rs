//! The real-document development set (`../shared/real-documents/`, beside the checkout): real
//! specimen scans with verified ground truth, read in place and never copied into the
//! repository. One reading of its manifest for the real-document tests, the web client's
//! journeys and the `real_documents` benchmark.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use serde_json::Value;
use verifyd_domain::analysers::DocumentReading;

/// The folder: `$VERIFYD_REAL_DOCUMENTS`, else `shared/real-documents` beside the checkout or
/// one of its parents (a clean clone for CI sits deeper than the working checkout).
pub fn folder() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("VERIFYD_REAL_DOCUMENTS") {
        return Ok(PathBuf::from(dir));
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for ancestor in checkout.ancestors() {
        let candidate = ancestor.join("shared/real-documents");
        if candidate.join("manifest.json").is_file() {
            return Ok(candidate);
        }
    }
    Err(anyhow!(
        "the real-document set is not found: put it at ../shared/real-documents beside the \
         checkout or name it with VERIFYD_REAL_DOCUMENTS"
    ))
}

/// One entry of `manifest.json`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub file: String,
    pub path: PathBuf,
    /// `mrz` or `no_mrz_or_barcode`.
    pub kind: String,
    /// TD1, TD3, MRVA, MRVB; None for the negatives.
    pub format: Option<String>,
    /// `scan`, `photo` or `render`.
    pub capture: String,
    /// The fields as the manifest writes them (documentNumber, dateOfBirth, ...).
    pub fields: Vec<(String, String)>,
}

pub fn entries() -> Result<Vec<Entry>> {
    let folder = folder()?;
    let text = std::fs::read_to_string(folder.join("manifest.json"))
        .with_context(|| format!("cannot read {}/manifest.json", folder.display()))?;
    let manifest: Value = serde_json::from_str(&text)?;
    let list = manifest
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("manifest.json has no entries"))?;
    let mut entries = Vec::new();
    for item in list {
        let text_of = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
        let file = text_of("file").ok_or_else(|| anyhow!("an entry has no file"))?;
        let fields = item
            .get("fields")
            .and_then(Value::as_object)
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        entries.push(Entry {
            path: folder.join(&file),
            file,
            kind: text_of("kind").unwrap_or_default(),
            format: text_of("format"),
            capture: text_of("capture").unwrap_or_default(),
            fields,
        });
    }
    Ok(entries)
}

/// The manifest keeps a few codes as printed where verifyd reports ISO's: ICAO's `D` for
/// Germany is `DEU`, `unspecified` sex is `X`.
fn normalised(key: &str, value: &str) -> String {
    match (key, value) {
        ("issuingCountry" | "nationality", "D") => "DEU".to_owned(),
        ("gender", "unspecified") => "X".to_owned(),
        _ => value.to_uppercase(),
    }
}

/// The fields of `entry` that `reading` got wrong (or did not read), by manifest name.
pub fn wrong_fields(entry: &Entry, reading: &DocumentReading) -> Vec<String> {
    let fields = &reading.fields;
    let date = |date: Option<chrono::NaiveDate>| date.map(|d| d.format("%Y-%m-%d").to_string());
    entry
        .fields
        .iter()
        .filter(|(key, value)| {
            let read = match key.as_str() {
                "documentNumber" => fields.document_number.clone(),
                "dateOfBirth" => date(fields.date_of_birth),
                "expiryDate" => date(fields.expiry_date),
                "issuingCountry" => reading.issuing_country.clone(),
                "nationality" => fields.nationality.clone(),
                "lastName" => fields.last_name.clone(),
                "firstName" => fields.first_name.clone(),
                "gender" => fields.gender.clone(),
                _ => return false,
            };
            read.map(|read| normalised(key, &read)) != Some(normalised(key, value))
        })
        .map(|(key, _)| key.clone())
        .collect()
}
