//! The real published lists in `../shared/screening/`, read in place: counts and chosen
//! entries field by field, the diff of a real OFAC update, and the FtM deltas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use verifyd_screening::{
    detect_format, diff, ftm, BirthDate, EntryKind, Gender, ListFormat, ListVersion, NameKind,
};

fn date(y: i32, m: u32, d: u32) -> BirthDate {
    BirthDate::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn has_name(list: &ListVersion, id: &str, text: &str, kind: NameKind) -> bool {
    list.entry(id)
        .unwrap()
        .names
        .iter()
        .any(|n| n.text == text && n.kind == kind)
}

#[test]
fn ofac_2021_full_set_counts() {
    let list = common::ofac_2021();
    let counts = list.counts();
    assert_eq!(counts.entries, 8_976);
    assert_eq!(counts.persons, 4_620);
    assert_eq!(counts.organizations, 3_673);
    assert_eq!(counts.by_kind.get("Vessel"), Some(&406));
    assert_eq!(counts.by_kind.get("Aircraft"), Some(&277));
    // alt.csv has 11,911 lines, the last of them only the 0x1A end-of-file byte: 11,910
    // aliases (11,523 aka, 369 fka, 18 nka); 6 repeat a name the entry already has, kept once.
    let rows = common::read("ofac-2021-07/alt.csv")
        .split(|b| *b == b'\n')
        .filter(|line| line.iter().any(|b| b.is_ascii_alphanumeric()))
        .count();
    assert_eq!(rows, 11_910);
    assert_eq!(counts.aliases, 11_904);
    // The overflow of long remarks is joined on: entry 12300's remarks continue into it.
    let entry = list.entry("12300").unwrap();
    assert!(entry
        .remarks
        .as_deref()
        .unwrap()
        .contains("Linked To: R D I S.A."));
    // add.csv addresses.
    let addresses = &list.entry("306").unwrap().addresses;
    assert_eq!(addresses.len(), 4);
    assert_eq!(
        addresses[0],
        "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    );
}

#[test]
fn ofac_2021_named_entry_field_by_field() {
    let list = common::ofac_2021();
    let entry = list.entry("6365").unwrap();
    assert_eq!(entry.kind, EntryKind::Person);
    assert_eq!(
        entry.primary_name(),
        "BIN LADIN, Usama bin Muhammad bin Awad"
    );
    assert_eq!(
        entry.dates_of_birth,
        vec![date(1957, 7, 30), BirthDate::Year(1958)]
    );
    assert_eq!(
        entry.places_of_birth,
        vec!["Jeddah, Saudi Arabia".to_owned(), "Yemen".to_owned()]
    );
    assert_eq!(entry.programmes, vec!["SDGT".to_owned()]);
    assert!(has_name(&list, "6365", "BIN LADEN, Osama", NameKind::Alias));
    assert_eq!(entry.names.len(), 6);
}

#[test]
fn ofac_2024_counts_and_named_entry() {
    let list = common::ofac_2024("03");
    let counts = list.counts();
    assert_eq!(counts.entries, 14_965);
    assert_eq!(counts.persons, 6_854);
    assert_eq!(counts.organizations, 6_884);
    assert_eq!(counts.by_kind.get("Vessel"), Some(&851));
    assert_eq!(counts.by_kind.get("Aircraft"), Some(&376));
    // Without alt.csv the aliases come from the remarks (a.k.a. 'NAME').
    assert_eq!(counts.aliases, 3_666);
    assert_eq!(common::ofac_2024("01").entries.len(), 14_966);

    let entry = list.entry("10584").unwrap();
    assert_eq!(entry.primary_name(), "SALIMI, Hosein");
    assert_eq!(entry.dates_of_birth, vec![BirthDate::Year(1960)]);
    assert_eq!(entry.nationalities, vec!["IR".to_owned()]);
    assert_eq!(entry.gender, Some(Gender::Male));
    assert_eq!(
        entry.programmes,
        ["SDGT", "NPWMD", "IRGC", "IFSR"].map(String::from).to_vec()
    );
    assert_eq!(entry.identifiers[0].number, "D08531177");
    assert_eq!(entry.identifiers[0].country.as_deref(), Some("Iran"));
    // DOB ranges and months.
    let naqdi = list.entry("12057").unwrap();
    assert!(naqdi.dates_of_birth.contains(&BirthDate::Range {
        from: 1951,
        to: 1953
    }));
    assert!(naqdi.dates_of_birth.contains(&BirthDate::YearMonth {
        year: 1961,
        month: 4
    }));
    // A remark alias.
    assert!(has_name(&list, "306", "BNC", NameKind::Alias));
}

#[test]
fn ofac_update_diff() {
    let before = common::ofac_2024("01");
    let after = common::ofac_2024("03");
    let changes = diff(&before, &after);
    assert_eq!(changes.added.len(), 7);
    assert_eq!(changes.removed.len(), 8);
    assert_eq!(
        changes.to_rescreen().len(),
        changes.added.len() + changes.changed.len()
    );
    for id in &changes.added {
        assert!(before.entry(id).is_none() && after.entry(id).is_some());
    }
    for id in &changes.removed {
        assert!(before.entry(id).is_some() && after.entry(id).is_none());
    }
    assert!(diff(&after, &after).added.is_empty());
}

#[test]
fn un_counts_and_entries() {
    let list = common::un_list();
    assert_eq!(list.published, NaiveDate::from_ymd_opt(2026, 2, 27));
    let counts = list.counts();
    assert_eq!(counts.entries, 1_003);
    assert_eq!(counts.persons, 730);
    assert_eq!(counts.organizations, 273);
    // 2,752 non-empty ALIAS_NAME elements; 11 repeat a name of their entry and are kept once.
    assert_eq!(counts.aliases, 2_741);
    assert_eq!(counts.weak_aliases, 615);
    // 378 NAME_ORIGINAL_SCRIPT elements; one (QDe.164) is the Latin primary name again.
    assert_eq!(counts.original_script, 377);

    let entry = list.entry("QDi.314").unwrap();
    assert_eq!(entry.primary_name(), "ABDERRAHMANE OULD EL AMAR");
    assert_eq!(
        entry.dates_of_birth,
        vec![BirthDate::Range {
            from: 1977,
            to: 1982
        }]
    );
    assert_eq!(entry.nationalities, vec!["ML".to_owned()]);
    assert_eq!(entry.programmes, vec!["Al-Qaida".to_owned()]);
    assert!(has_name(
        &list,
        "QDi.314",
        "عبد الرحمن ولد العامر",
        NameKind::OriginalScript
    ));
    assert!(has_name(
        &list,
        "QDi.314",
        "Ahmed el Tilemsi",
        NameKind::Alias
    ));
    assert_eq!(entry.places_of_birth, vec!["Tabankort, Mali".to_owned()]);

    let saddam = list.entry("IQi.001").unwrap();
    assert_eq!(saddam.dates_of_birth, vec![date(1937, 4, 28)]);
    assert!(has_name(&list, "IQi.001", "Abu Ali", NameKind::WeakAlias));
    assert!(has_name(
        &list,
        "IQi.001",
        "صدام حسين التكريتي",
        NameKind::OriginalScript
    ));

    let badege = list.entry("CDi.001").unwrap();
    assert_eq!(badege.gender, Some(Gender::Male));
    assert_eq!(badege.nationalities, vec!["CD".to_owned()]);
    assert_eq!(badege.dates_of_birth, vec![BirthDate::Year(1971)]);

    // Entity with an &amp; in its name.
    assert!(list
        .entries
        .iter()
        .any(|e| e.kind == EntryKind::Organization
            && e.primary_name() == "CHANG AN SHIPPING & TECHNOLOGY"));
}

#[test]
fn list_versions_survive_json() {
    let list = common::un_list();
    let json = serde_json::to_vec(&list).unwrap();
    let back: ListVersion = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, list);
}

#[test]
fn ftm_entities_and_deltas() {
    let base = common::ftm_list();
    // 7 entities, one of them an Address (not a party).
    assert_eq!(base.entries.len(), 6);
    let person = base.entry("NK-2Ka3UvopqbpZmVDFjWd4LA").unwrap();
    assert_eq!(person.kind, EntryKind::Person);
    assert_eq!(person.primary_name(), "Vitaly Yurievich KUZMENKO");
    assert_eq!(person.dates_of_birth, vec![date(1971, 1, 22)]);
    assert_eq!(person.nationalities, vec!["RU".to_owned()]);
    assert_eq!(person.gender, Some(Gender::Male));
    assert!(has_name(
        &base,
        "NK-2Ka3UvopqbpZmVDFjWd4LA",
        "Виталий Юрьевич КУЗЬМЕНКО",
        NameKind::OriginalScript
    ));
    assert!(base.entry("NK-2MQE6AmhAk4tqhENJAMUG9").is_none());

    let mut files: Vec<_> = std::fs::read_dir(common::folder().join("opensanctions/deltas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .ends_with("_entities.delta.json")
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let mut version = base.clone();
    let mut sizes = Vec::new();
    for file in &files {
        version = ftm::apply_delta(&version, &std::fs::read(file).unwrap()).unwrap();
        sizes.push(version.entries.len());
    }
    // empty file; +2; +1 and a MOD; DEL; +1.
    assert_eq!(sizes, vec![6, 8, 9, 8, 9]);
    let modified = version.entry("NK-2T3S8Hu29ktYnKSTgQp2wL").unwrap();
    assert_eq!(modified.primary_name(), "Foobar Foobargroup");
    assert!(version.entry("NK-500Poltergeist").is_none());
    let added = version.entry("Q4365364").unwrap();
    assert_eq!(added.dates_of_birth, vec![date(1961, 11, 30)]);
    assert!(has_name(
        &version,
        "Q4365364",
        "Владимир Николаевич ПЛОТНИКОВ",
        NameKind::OriginalScript
    ));
    let agha = version.entry("NK-2sJaJRaPJcWUfMbHjTtWcL").unwrap();
    assert_eq!(agha.primary_name(), "Janan Agha");
    let changes = diff(&base, &version);
    assert_eq!(changes.added.len(), 3);
    assert!(changes.removed.is_empty());
}

#[test]
fn formats_are_detected() {
    let head = |p: &str| common::read(p).into_iter().take(512).collect::<Vec<u8>>();
    assert_eq!(
        detect_format("sdn.csv", &head("ofac-2021-07/sdn.csv")),
        Some(ListFormat::OfacSdn)
    );
    assert_eq!(
        detect_format("alt.csv", &head("ofac-2021-07/alt.csv")),
        Some(ListFormat::OfacAlt)
    );
    assert_eq!(
        detect_format("add.csv", &head("ofac-2021-07/add.csv")),
        Some(ListFormat::OfacAdd)
    );
    assert_eq!(
        detect_format("sdn_comments.csv", &head("ofac-2021-07/sdn_comments.csv")),
        Some(ListFormat::OfacComments)
    );
    assert_eq!(
        detect_format("consolidated.xml", &head("un/UN_consolidated.xml")),
        Some(ListFormat::UnConsolidated)
    );
    assert_eq!(
        detect_format(
            "entities.ftm.json",
            &head("opensanctions/entities.ftm.json")
        ),
        Some(ListFormat::FtmEntities)
    );
    assert_eq!(
        detect_format(
            "x.delta.json",
            &head("opensanctions/deltas/20240528074703-npf_entities.delta.json")
        ),
        Some(ListFormat::FtmDelta)
    );
    assert_eq!(detect_format("notes.txt", b"hello"), None);
}
