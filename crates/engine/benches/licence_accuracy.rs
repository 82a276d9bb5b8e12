//! How exactly, and how fast, North American driving licences are read: the PDF417 barcode on
//! the back, and the printed front held against it.
//!
//! It makes `LICENCE_ACCURACY_DOCS` holders (default 150) of the US jurisdictions, drawn from a
//! seed (names, dates, numbers of three shapes, addresses), and for each renders the back (an
//! AAMVA DL/ID-2020 record as PDF417, `synthetic::licence_back`) photographed twice, clean (JPEG
//! 95) and degraded as a phone photo is (the MRZ bench's damage: rotated 1-8 degrees, mild
//! perspective, uneven light, blur 0.7-1.2, noise 6-10, JPEG 60-80), so 300 photos of backs.
//! Every field the barcode gives is compared with the record parsed from the payload that was
//! encoded, which is right by construction; time per photo includes decoding the file.
//!
//! Then the fronts (`synthetic::licence_front`, 12-16 pixels per mm, degraded the same way):
//! one genuine and one reprinted with one field changed (surname, number, birth or expiry date
//! in turn) per holder, read by the OCR models and compared with the encoded record. It
//! reports how many fields were compared, genuine fronts wrongly found to mismatch (a false
//! fraud signal) and reprinted fronts caught.
//!
//! No peer runs here: PassportEye reads MRZs only. Needs the models (`scripts/fetch-models`)
//! and the OCR-B font (`scripts/setup-test-assets`). Run:
//!
//! ```text
//! cargo bench -p verifyd-engine --features synthetic --bench licence_accuracy
//! ```
//!
//! The report is written as markdown to `target/licence_accuracy.md` too.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use verifyd_engine::documents::barcode::{
    jurisdiction_of_iin, parse_aamva, read_aamva, AamvaRecord, JurisdictionCountry,
};
use verifyd_engine::documents::synthetic::{
    aamva_payload, licence_back, licence_front, LicenceHolder, OcrB,
};
use verifyd_engine::documents::visual_zone::{compare_with_barcode, VisualField};

mod photo;
use photo::{median, one_thread_reader, percent, publish, write_jpeg, BenchResult, Damage, Rng};

const DEFAULT_DOCUMENTS: u32 = 150;
const CLEAN_JPEG_QUALITY: u8 = 95;
const FIELD_NAMES: [&str; 12] = [
    "first", "last", "birth", "issue", "expiry", "number", "state", "street", "city", "postal",
    "sex", "classes",
];
const FIRST_NAMES: [&str; 10] = [
    "JANE",
    "MARCUS",
    "LI",
    "ALEJANDRA",
    "OLUWASEUN",
    "MARY ANN",
    "JOHN",
    "PRIYA",
    "KAI",
    "ZOE",
];
const LAST_NAMES: [&str; 10] = [
    "DOE",
    "OKONKWO-BRIGHT",
    "NGUYEN",
    "GARCIA LOPEZ",
    "SMITH",
    "O'BRIEN",
    "WASHINGTON",
    "KOWALCZYK",
    "LEE",
    "VAN DER BERG",
];
const STREETS: [&str; 5] = [
    "MAIN ST",
    "ELM AVE",
    "24TH STREET",
    "OAK DR",
    "HIGHLAND BLVD",
];
const CITIES: [&str; 5] = [
    "SPRINGFIELD",
    "RIVERSIDE",
    "FRANKLIN",
    "GREENVILLE",
    "MADISON",
];

/// The twelve fields, as text, in the order of [`FIELD_NAMES`].
type Fields = [String; FIELD_NAMES.len()];

fn fields(record: &AamvaRecord) -> Fields {
    let text = |value: &Option<String>| value.clone().unwrap_or_else(|| "?".to_owned());
    let date = |value: Option<NaiveDate>| value.map_or_else(|| "?".to_owned(), |d| d.to_string());
    let address = record.address.clone().unwrap_or_default();
    [
        text(&record.first_name),
        text(&record.last_name),
        date(record.date_of_birth),
        date(record.issue_date),
        date(record.expiry_date),
        text(&record.document_number),
        text(&record.state),
        text(&address.street_1),
        text(&address.city),
        text(&address.postal_code),
        format!("{:?}", record.sex),
        record.dl_categories.join(","),
    ]
}

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    let index = (rng.unit() * from.len() as f32) as usize;
    from.get(index.min(from.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

fn digits(rng: &mut Rng, count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + (rng.unit() * 9.99) as u8))
        .collect()
}

/// A holder of a US jurisdiction drawn from `seed`.
fn holder(seed: u32, jurisdictions: &[(String, String)]) -> BenchResult<LicenceHolder> {
    let mut rng = Rng(seed.wrapping_mul(2_246_822_519).max(1));
    let (iin, state) = jurisdictions
        .get((rng.unit() * jurisdictions.len() as f32) as usize % jurisdictions.len().max(1))
        .cloned()
        .ok_or("no jurisdictions")?;
    let birth = NaiveDate::from_ymd_opt(
        rng.between(1945.0, 2006.0) as i32,
        rng.between(1.0, 12.99) as u32,
        rng.between(1.0, 28.99) as u32,
    )
    .ok_or("birth date")?;
    let issued = NaiveDate::from_ymd_opt(
        rng.between(2019.0, 2025.99) as i32,
        rng.between(1.0, 12.99) as u32,
        rng.between(1.0, 28.99) as u32,
    )
    .ok_or("issue date")?;
    let expiry = NaiveDate::from_ymd_opt(
        issued.year() + rng.between(5.0, 8.99) as i32,
        birth.month(),
        birth.day(),
    )
    .ok_or("expiry date")?;
    let letter = char::from(b'A' + (rng.unit() * 25.99) as u8);
    let number = match seed % 3 {
        0 => format!("{letter}{}", digits(&mut rng, 7)),
        1 => digits(&mut rng, 9),
        _ => format!("{letter}{}", digits(&mut rng, 12)),
    };
    Ok(LicenceHolder {
        first_name: pick(&mut rng, &FIRST_NAMES).to_owned(),
        last_name: pick(&mut rng, &LAST_NAMES).to_owned(),
        date_of_birth: birth,
        issue_date: issued,
        expiry_date: expiry,
        number,
        state,
        iin,
        street: format!("{} {}", digits(&mut rng, 3), pick(&mut rng, &STREETS)),
        city: pick(&mut rng, &CITIES).to_owned(),
        postal_code: digits(&mut rng, 5),
    })
}

/// The US jurisdictions AAMVA assigns IINs to, from the engine's own table.
fn us_jurisdictions() -> Vec<(String, String)> {
    (636_000..=636_062)
        .filter_map(|iin: u32| {
            let iin = iin.to_string();
            let found = jurisdiction_of_iin(&iin)?;
            (found.country == JurisdictionCountry::Usa).then(|| (iin, found.code.to_owned()))
        })
        .collect()
}

/// One side's photo on disk.
struct Photo {
    path: PathBuf,
    holder: usize,
    damage: Option<Damage>,
}

/// What was done to `photo`, as the report says it.
fn damage(photo: &Photo) -> String {
    photo
        .damage
        .map_or_else(|| "clean".to_owned(), |damage| damage.to_string())
}

/// The front as printed: genuine, or with one field changed.
struct Front {
    photo: Photo,
    changed: Option<VisualField>,
}

fn reprinted(holder: &LicenceHolder, field: VisualField) -> LicenceHolder {
    let mut changed = holder.clone();
    match field {
        VisualField::Surname => {
            let other = LAST_NAMES.iter().find(|name| **name != holder.last_name);
            changed.last_name = other.copied().unwrap_or("MALLORY").to_owned();
        }
        VisualField::DocumentNumber => {
            let last = changed.number.pop();
            changed
                .number
                .push(if last == Some('7') { '1' } else { '7' });
        }
        VisualField::DateOfBirth => {
            changed.date_of_birth = holder.date_of_birth + chrono::Days::new(31);
        }
        VisualField::ExpiryDate => {
            changed.expiry_date = holder.expiry_date + chrono::Days::new(366);
        }
    }
    changed
}

fn photograph(
    image: &image::RgbImage,
    path: &Path,
    seed: u32,
    degraded: bool,
) -> BenchResult<Option<Damage>> {
    if degraded {
        let damage = Damage::drawn(seed);
        write_jpeg(&damage.apply(image, seed)?, path, damage.jpeg)?;
        Ok(Some(damage))
    } else {
        write_jpeg(image, path, CLEAN_JPEG_QUALITY)?;
        Ok(None)
    }
}

fn main() -> BenchResult<()> {
    let documents: u32 = std::env::var("LICENCE_ACCURACY_DOCS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_DOCUMENTS);
    let dir = std::env::temp_dir().join("verifyd-licence-accuracy");
    fs::create_dir_all(&dir)?;
    let font = OcrB::load()?;
    let jurisdictions = us_jurisdictions();

    let start = Instant::now();
    let mut holders = Vec::new();
    let mut backs = Vec::new();
    let mut fronts = Vec::new();
    for index in 0..documents {
        let seed = 50_000 + index;
        let holder = holder(seed, &jurisdictions)?;
        let back = licence_back(&holder)?;
        for degraded in [false, true] {
            let path = dir.join(format!("back-{index:03}-{degraded}.jpg"));
            let damage = photograph(&back, &path, seed, degraded)?;
            backs.push(Photo {
                path,
                holder: holders.len(),
                damage,
            });
        }
        let pixels_per_mm = 12.0 + (index % 5) as f32;
        let change = VisualField::ALL
            .get(index as usize % VisualField::ALL.len())
            .copied();
        for changed in [None, change] {
            let printed = changed.map_or_else(|| holder.clone(), |f| reprinted(&holder, f));
            let image = licence_front(&font, &printed, pixels_per_mm);
            let path = dir.join(format!("front-{index:03}-{}.jpg", changed.is_some()));
            let damage = photograph(&image, &path, seed + 7, true)?;
            fronts.push(Front {
                photo: Photo {
                    path,
                    holder: holders.len(),
                    damage,
                },
                changed,
            });
        }
        holders.push(holder);
    }
    eprintln!(
        "rendered {} backs and {} fronts into {} in {:.0} s",
        backs.len(),
        fronts.len(),
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    let truths: Vec<AamvaRecord> = holders
        .iter()
        .map(|holder| parse_aamva(&aamva_payload(holder)))
        .collect::<Result<_, _>>()?;

    let mut out = String::new();
    writeln!(
        out,
        "Backs: fields in %, every field exact (\"all\") and each field; median milliseconds \
         per photo, file decoding included, one core.\n"
    )?;
    write!(out, "| photos | found | all |")?;
    for name in FIELD_NAMES {
        write!(out, " {name} |")?;
    }
    writeln!(out, " median ms |")?;
    writeln!(out, "|{}", "---|".repeat(3 + FIELD_NAMES.len() + 1))?;
    let mut misreads = Vec::new();
    for clean in [true, false] {
        let mut right = [0_usize; FIELD_NAMES.len()];
        let (mut photos, mut found, mut all_exact) = (0, 0, 0);
        let mut times = Vec::new();
        for photo in backs.iter().filter(|photo| photo.damage.is_none() == clean) {
            let truth = truths.get(photo.holder).map(fields).ok_or("truth")?;
            let start = Instant::now();
            let image = image::open(&photo.path)?;
            let record = read_aamva(&image).ok().flatten();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            photos += 1;
            let Some(record) = record else {
                misreads.push(format!(
                    "{} ({}): no barcode",
                    photo.path.display(),
                    damage(photo)
                ));
                continue;
            };
            found += 1;
            let read = fields(&record);
            let wrong: Vec<&str> = FIELD_NAMES
                .iter()
                .zip(read.iter().zip(&truth))
                .filter(|(_, (read, truth))| read != truth)
                .map(|(name, _)| *name)
                .collect();
            for (slot, (read, truth)) in right.iter_mut().zip(read.iter().zip(&truth)) {
                *slot += usize::from(read == truth);
            }
            if wrong.is_empty() {
                all_exact += 1;
            } else {
                misreads.push(format!(
                    "{} ({}): {wrong:?}",
                    photo.path.display(),
                    damage(photo)
                ));
            }
        }
        write!(
            out,
            "| {photos} {} | {found} | {} |",
            if clean { "clean" } else { "degraded" },
            percent(all_exact, photos)
        )?;
        for count in right {
            write!(out, " {} |", percent(count, photos))?;
        }
        writeln!(out, " {:.0} |", median(times))?;
    }
    for misread in &misreads {
        writeln!(out, "\nmisread: {misread}")?;
    }

    let reader = one_thread_reader()?;
    let (mut genuine, mut all_compared, mut false_mismatches) = (0, 0, 0);
    let (mut reprints, mut caught, mut caught_exactly) = (0, 0, 0);
    let mut compared_fields = 0;
    let mut compared_per_field = [0_usize; VisualField::ALL.len()];
    let mut times = Vec::new();
    for front in &fronts {
        let truth = truths.get(front.photo.holder).ok_or("truth")?;
        let start = Instant::now();
        let image = image::open(&front.photo.path)?;
        let comparison = compare_with_barcode(&reader.read_lines(&image)?, truth);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        compared_fields += comparison.compared.len();
        match front.changed {
            None => {
                genuine += 1;
                all_compared += usize::from(comparison.compared.len() == VisualField::ALL.len());
                for (count, field) in compared_per_field.iter_mut().zip(VisualField::ALL) {
                    *count += usize::from(comparison.compared.contains(&field));
                }
                if !comparison.mismatched.is_empty() {
                    false_mismatches += 1;
                    eprintln!(
                        "false mismatch: {} ({}) {:?}",
                        front.photo.path.display(),
                        damage(&front.photo),
                        comparison.mismatched
                    );
                }
            }
            Some(changed) => {
                reprints += 1;
                caught += usize::from(!comparison.mismatched.is_empty());
                if comparison.mismatched.is_empty() {
                    eprintln!(
                        "not caught: {} ({changed:?} changed; {}), compared {:?}",
                        front.photo.path.display(),
                        damage(&front.photo),
                        comparison.compared
                    );
                }
                caught_exactly += usize::from(comparison.mismatched == [changed]);
            }
        }
    }
    writeln!(
        out,
        "\nFronts (degraded photos, 12-16 px/mm): {genuine} genuine, every field compared on \
         {all_compared}, {false_mismatches} wrongly found to mismatch; {reprints} reprinted with \
         one field changed, {caught} caught ({caught_exactly} naming exactly that field); {} \
         fields compared in all; median {:.0} ms per front (OCR of the whole card).",
        compared_fields,
        median(times)
    )?;
    let per_field: Vec<String> = VisualField::ALL
        .iter()
        .zip(compared_per_field)
        .map(|(field, count)| format!("{} {count}", field.reason()))
        .collect();
    writeln!(
        out,
        "\nGenuine fronts on which each field was compared: {}.",
        per_field.join(", ")
    )?;
    publish(&out, "licence_accuracy.md")
}
