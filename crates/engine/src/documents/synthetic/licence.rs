//! The back of a North American driving licence: an AAMVA DL/ID-2020 (version 10) record
//! printed as a PDF417 symbol on a tinted card, photographed on a table.

use chrono::NaiveDate;
use image::{Rgb, RgbImage};
use rxing::pdf417::PDF417Writer;
use rxing::{BarcodeFormat, EncodeHintValue, EncodeHints, Writer};

use super::SyntheticError;

/// What the licence says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceHolder {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub issue_date: NaiveDate,
    pub expiry_date: NaiveDate,
    pub number: String,
    /// Two letters: the jurisdiction (CA, TX, NY, ...).
    pub state: String,
    /// The issuer identification number of that jurisdiction (636014 for California).
    pub iin: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

impl LicenceHolder {
    /// A Californian holder, for tests that need a licence but not particular data.
    pub fn sample() -> LicenceHolder {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        LicenceHolder {
            first_name: "JANE".into(),
            last_name: "DOE".into(),
            date_of_birth: date(1990, 4, 2),
            issue_date: date(2022, 1, 5),
            expiry_date: date(2030, 4, 2),
            number: "D1234567".into(),
            state: "CA".into(),
            iin: "636014".into(),
            street: "1 MAIN ST".into(),
            city: "SACRAMENTO".into(),
            postal_code: "95814".into(),
        }
    }
}

/// US jurisdictions write dates month first, in the barcode without separators.
fn barcode_date(date: NaiveDate) -> String {
    date.format("%m%d%Y").to_string()
}

/// The AAMVA text: header, one subfile designator, the DL subfile.
pub fn aamva_payload(holder: &LicenceHolder) -> String {
    let elements = [
        ("DCA", "C".to_owned()),
        ("DCB", "NONE".to_owned()),
        ("DCD", "NONE".to_owned()),
        ("DBA", barcode_date(holder.expiry_date)),
        ("DCS", holder.last_name.clone()),
        ("DAC", holder.first_name.clone()),
        ("DAD", "NONE".to_owned()),
        ("DBD", barcode_date(holder.issue_date)),
        ("DBB", barcode_date(holder.date_of_birth)),
        ("DBC", "2".to_owned()),
        ("DAY", "BRO".to_owned()),
        ("DAU", "066 IN".to_owned()),
        ("DAG", holder.street.clone()),
        ("DAI", holder.city.clone()),
        ("DAJ", holder.state.clone()),
        ("DAK", format!("{:0<9}", holder.postal_code)),
        ("DAQ", holder.number.clone()),
        ("DCF", "83D9BN217QO983B1".to_owned()),
        ("DCG", "USA".to_owned()),
        ("DDE", "N".to_owned()),
        ("DDF", "N".to_owned()),
        ("DDG", "N".to_owned()),
    ];
    let body: Vec<String> = elements
        .iter()
        .map(|(id, value)| format!("{id}{value}"))
        .collect();
    let subfile = format!("DL{}\r", body.join("\n"));
    // Header (21) + one designator (10).
    let offset = 31;
    format!(
        "@\n\u{1e}\rANSI {}1000{:02}DL{offset:04}{:04}{subfile}",
        holder.iin,
        1,
        subfile.len()
    )
}

/// The licence's back: the symbol of `holder`'s record on a card, with a table around it.
pub fn licence_back(holder: &LicenceHolder) -> Result<RgbImage, SyntheticError> {
    const MODULE: u32 = 3;
    let hints = EncodeHints::default()
        .with(EncodeHintValue::Margin("0".into()))
        .with(EncodeHintValue::ErrorCorrection("5".into()));
    let matrix = PDF417Writer::new()
        .encode_with_hints(
            &aamva_payload(holder),
            &BarcodeFormat::PDF_417,
            0,
            0,
            &hints,
        )
        .map_err(|error| SyntheticError::Barcode(error.to_string()))?;
    let (symbol_width, symbol_height) = (matrix.getWidth() * MODULE, matrix.getHeight() * MODULE);
    let quiet = 8 * MODULE;
    let card = (symbol_width + 2 * quiet + 60, symbol_height * 2 + 2 * quiet);
    let table = 80;
    let (width, height) = (card.0 + 2 * table, card.1 + 2 * table);
    let (symbol_left, symbol_top) = (table + quiet + 30, table + card.1 - quiet - symbol_height);
    Ok(RgbImage::from_fn(width, height, |x, y| {
        let on_card = x >= table && x < table + card.0 && y >= table && y < table + card.1;
        if !on_card {
            return Rgb([118, 96, 74]);
        }
        let in_symbol = x >= symbol_left
            && x < symbol_left + symbol_width
            && y >= symbol_top
            && y < symbol_top + symbol_height;
        if in_symbol {
            let dark = matrix.get((x - symbol_left) / MODULE, (y - symbol_top) / MODULE);
            return if dark {
                Rgb([22, 22, 28])
            } else {
                Rgb([236, 230, 214])
            };
        }
        // Lines of small print above the symbol.
        if y < symbol_top - quiet && (y / 9) % 4 == 0 && (x / 5) % 7 != 0 {
            Rgb([60, 60, 70])
        } else {
            Rgb([232, 224, 206])
        }
    }))
}
