//! Matching against the real UN and OFAC lists: listed people found through typos, word
//! order and script; unlisted and half-matching names not; hostile queries answered with a
//! clear error or a result, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono::NaiveDate;
use verifyd_screening::{
    diff, BirthDate, EntryKind, Gender, Index, Match, NameKind, Query, QueryError, Reason,
    SearchOptions,
};

fn un_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(&[&common::un_list()]))
}

fn both_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(&[&common::ofac_2024("03"), &common::un_list()]))
}

fn search(index: &Index, query: &Query) -> Vec<Match> {
    index.search(query, &SearchOptions::default()).unwrap()
}

fn finds(index: &Index, name: &str, id: &str) -> Match {
    let matches = search(index, &Query::name(name));
    matches
        .into_iter()
        .find(|m| m.entry_id == id)
        .unwrap_or_else(|| panic!("{name:?} does not find {id}"))
}

#[test]
fn listed_person_by_exact_name() {
    let hit = finds(un_index(), "ABDERRAHMANE OULD EL AMAR", "QDi.314");
    assert_eq!(hit.score, 1.0);
    assert_eq!(hit.list, "un-consolidated");
    assert_eq!(hit.entry_name, "ABDERRAHMANE OULD EL AMAR");
    assert_eq!(hit.matched_kind, NameKind::Primary);
    assert!(hit.reasons.contains(&Reason::NameExact));
    assert_eq!(hit.programmes, vec!["Al-Qaida".to_owned()]);
    // Case, accents and punctuation do not matter.
    finds(un_index(), "abderrahmane ould el-amar", "QDi.314");
    finds(un_index(), "Estevao Na Mena", "GBi.008");
}

#[test]
fn listed_person_with_a_typo() {
    let hit = finds(un_index(), "ABDERAHMANE OULD EL AMAR", "QDi.314");
    assert!(hit.score < 1.0 && hit.score >= 0.86, "{hit:?}");
    assert!(matches!(hit.reasons[0], Reason::NameFuzzy { .. }));
    finds(un_index(), "Sadam Hussein al-Tikriti", "IQi.001");
    finds(un_index(), "Abdul Bari Akhund", "TAi.094");
    // A swap of two letters is one edit.
    finds(un_index(), "Adbul Bari Akhund", "TAi.094");
}

#[test]
fn listed_person_with_words_reordered() {
    let hit = finds(un_index(), "AL-TIKRITI SADDAM HUSSEIN", "IQi.001");
    assert!(hit.reasons.contains(&Reason::NameExact));
    assert!(hit.reasons.contains(&Reason::TokensReordered));
    finds(un_index(), "BADEGE, Eric", "CDi.001");
}

#[test]
fn listed_person_by_original_script_name() {
    let hit = finds(un_index(), "صدام حسين التكريتي", "IQi.001");
    assert_eq!(hit.matched_kind, NameKind::OriginalScript);
    assert!(hit.reasons.contains(&Reason::Transliterated));
    let hit = finds(un_index(), "عبد الرحمن ولد العامر", "QDi.314");
    assert_eq!(hit.entry_name, "ABDERRAHMANE OULD EL AMAR");
}

#[test]
fn listed_organisation_and_aliases() {
    finds(both_index(), "Banco Nacional de Cuba", "306");
    let hit = finds(both_index(), "Allied Democratic Forces", "CDe.001");
    assert_eq!(hit.matched_kind, NameKind::Alias);
}

#[test]
fn unlisted_common_names_are_not_matched() {
    for name in [
        "John Smith",
        "Maria Garcia Lopez",
        "Anna Schmidt",
        "Mohammed Smith",
        "Peter Olsen",
    ] {
        let matches = search(both_index(), &Query::name(name));
        assert!(matches.is_empty(), "{name}: {matches:?}");
    }
}

#[test]
fn one_shared_common_word_is_not_a_match() {
    for name in ["Mohammed", "Ali", "Mohammad", "Abdul", "Kim", "Hassan"] {
        let matches = search(both_index(), &Query::name(name));
        assert!(matches.is_empty(), "{name}: {matches:?}");
    }
    // A listed surname with an unlisted first name.
    let matches = search(un_index(), &Query::name("Peter Badege"));
    assert!(matches.is_empty(), "{matches:?}");
}

#[test]
fn legal_forms_alone_are_not_names() {
    for name in [
        "LTD",
        "Company Limited",
        "LLC",
        "GmbH & Co. KG",
        "Mr",
        "Sheikh",
        "Dr.",
    ] {
        assert_eq!(
            both_index().search(&Query::name(name), &SearchOptions::default()),
            Err(QueryError::NotEnoughData),
            "{name}"
        );
    }
    // With a legal form the name still matches.
    finds(both_index(), "BANCO NACIONAL DE CUBA S.A.", "306");
}

#[test]
fn hostile_queries_give_an_error_or_a_result() {
    let index = both_index();
    let options = SearchOptions::default();
    assert_eq!(
        index.search(&Query::name(""), &options),
        Err(QueryError::NotEnoughData)
    );
    assert_eq!(
        index.search(&Query::name("  .,;-- ''"), &options),
        Err(QueryError::NotEnoughData)
    );
    assert_eq!(
        index.search(&Query::name("\u{0}\u{7}\u{200b}"), &options),
        Err(QueryError::NotEnoughData)
    );
    let long = "A".repeat(10_000);
    assert!(matches!(
        index.search(&Query::name(long), &options),
        Err(QueryError::TooLong { chars: 10_000, .. })
    ));
    let words = "Mohammed Ali ".repeat(23);
    assert!(index.search(&Query::name(words), &options).is_ok());
    // Control characters are stripped, not fatal.
    let hit = index
        .search(&Query::name("ERIC\u{0}BADEGE\u{7}"), &options)
        .unwrap();
    assert!(hit.iter().any(|m| m.entry_id == "CDi.001"));
    // Mixed scripts: Latin and Arabic in one name.
    // (Transliterated Arabic is a consonant skeleton, `hsyn`, far from `Hussein`: a half-Latin
    // name is answered, but need not find the Latin entry.)
    assert!(index
        .search(&Query::name("Saddam حسين التكريتي"), &options)
        .is_ok());
    for name in [
        "王小明",
        "Владимир Путин",
        "🙂🙂",
        "ÆØÅ æøå",
        "1234567",
        "x",
        "a b c d e f g h i j",
    ] {
        let _ = index.search(&Query::name(name), &options);
    }
}

#[test]
fn details_raise_lower_but_never_hide_an_exact_name() {
    let index = un_index();
    let exact = Query {
        name: "SADDAM HUSSEIN AL-TIKRITI".into(),
        date_of_birth: Some(BirthDate::Date(
            NaiveDate::from_ymd_opt(1937, 4, 28).unwrap(),
        )),
        nationality: Some("Iraq".into()),
        gender: None,
    };
    let hit = search(index, &exact)
        .into_iter()
        .find(|m| m.entry_id == "IQi.001")
        .unwrap();
    assert!(hit
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::DateOfBirthMatches { .. })));
    assert!(hit
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::NationalityMatches { .. })));
    // Everything else contradicts: still reported, at the threshold, with the reasons.
    let contradicted = Query {
        date_of_birth: Some(BirthDate::Year(1990)),
        nationality: Some("NO".into()),
        gender: Some(Gender::Female),
        ..exact.clone()
    };
    let hit = search(index, &contradicted)
        .into_iter()
        .find(|m| m.entry_id == "IQi.001")
        .unwrap();
    assert_eq!(hit.score, SearchOptions::default().threshold);
    assert!(hit
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::DateOfBirthDiffers { .. })));
    assert!(hit
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::NationalityDiffers { .. })));
    // A year inside a listed range.
    let ranged = Query {
        name: "Abderrahmane Ould el Amar".into(),
        date_of_birth: Some(BirthDate::Year(1979)),
        ..Query::default()
    };
    let hit = search(index, &ranged)
        .into_iter()
        .find(|m| m.entry_id == "QDi.314")
        .unwrap();
    assert!(hit
        .reasons
        .iter()
        .any(|r| matches!(r, Reason::YearOfBirthMatches { .. })));
    // A fuzzy name with a contradicting date of birth drops below the threshold.
    let fuzzy = Query {
        name: "Abderahmane Ould Amar".into(),
        date_of_birth: Some(BirthDate::Year(1940)),
        ..Query::default()
    };
    let fuzzy_plain = Query {
        date_of_birth: None,
        ..fuzzy.clone()
    };
    let score = |q: &Query| {
        index
            .search(
                q,
                &SearchOptions {
                    threshold: 0.0,
                    ..SearchOptions::default()
                },
            )
            .unwrap()
            .into_iter()
            .find(|m| m.entry_id == "QDi.314")
            .map_or(0.0, |m| m.score)
    };
    assert!(score(&fuzzy) < score(&fuzzy_plain));
}

#[test]
fn options_restrict_lists_kinds_and_entries() {
    let index = both_index();
    let query = Query::name("Eric Badege");
    let all = search(index, &query);
    assert!(
        all.iter().any(|m| m.list == "ofac-sdn") && all.iter().any(|m| m.list == "un-consolidated")
    );
    let only_un = SearchOptions {
        lists: Some(HashSet::from(["un-consolidated".to_owned()])),
        ..SearchOptions::default()
    };
    assert!(index
        .search(&query, &only_un)
        .unwrap()
        .iter()
        .all(|m| m.list == "un-consolidated"));
    let organisations = SearchOptions {
        kinds: Some(HashSet::from([EntryKind::Organization])),
        ..SearchOptions::default()
    };
    assert!(index.search(&query, &organisations).unwrap().is_empty());
    let one = SearchOptions {
        entry_ids: Some(HashSet::from(["CDi.001".to_owned()])),
        ..SearchOptions::default()
    };
    let hits = index.search(&query, &one).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entry_id, "CDi.001");
    let few = SearchOptions {
        max_results: 1,
        ..SearchOptions::default()
    };
    assert_eq!(index.search(&query, &few).unwrap().len(), 1);
    // Sorted best first.
    let many = search(index, &Query::name("Saddam Hussein"));
    assert!(many.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn monitoring_rescreens_only_added_and_changed_entries() {
    let before = common::ofac_2024("01");
    let after = common::ofac_2024("03");
    let changes = diff(&before, &after);
    let index = Index::build(&[&after]);
    let options = SearchOptions {
        entry_ids: Some(changes.to_rescreen().into_iter().collect()),
        ..SearchOptions::default()
    };
    // A customer named like an added entry is found through the restricted search; one
    // named like an unchanged entry is not re-alerted.
    let added = after.entry(&changes.added[0]).unwrap();
    let hits = index
        .search(&Query::name(added.primary_name()), &options)
        .unwrap();
    assert!(hits.iter().any(|m| m.entry_id == added.id), "{hits:?}");
    let unchanged = index
        .search(&Query::name("BANCO NACIONAL DE CUBA"), &options)
        .unwrap();
    assert!(unchanged.is_empty());
}

#[test]
fn name_comparison_is_symmetric_enough_and_bounded() {
    let index = un_index();
    for (a, b) in [
        ("Vladimir Putin", "Putin Vladimir"),
        ("Jean-Claude Juncker", "Jean Claude Juncker"),
        ("Jean-Claude Juncker", "JeanClaude Juncker"),
    ] {
        let score = index.compare_names(a, b).score;
        let back = index.compare_names(b, a).score;
        assert!(score >= 0.86 && back >= 0.86, "{a} / {b}: {score} {back}");
    }
    // Two spelling variants at once (O/U first letter, e/i) stay alike but fall under the
    // screening threshold on their own: a known gap, documented in the README.
    let score = index
        .compare_names("Osama bin Laden", "Usama bin Ladin")
        .score;
    assert!((0.75..0.86).contains(&score), "{score}");
    for (a, b) in [
        ("John Smith", "Jane Doe"),
        ("Mohammed Ali", "Mohammed Hassan"),
    ] {
        let score = index.compare_names(a, b).score;
        assert!((0.0..0.86).contains(&score), "{a} / {b}: {score}");
    }
}

/// A search restricted to some entries (monitoring's) starts from those entries' names instead
/// of the vocabulary: it must find exactly what the whole search finds among them.
#[test]
fn a_restricted_search_finds_what_the_whole_search_finds_among_its_entries() {
    let index = both_index();
    let positives = String::from_utf8(common::read("bench/positives_un_treated.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(positives.as_bytes());
    let names: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|record| record.get(0).map(str::to_owned))
        .take(300)
        .collect();
    assert_eq!(names.len(), 300);
    let everything = SearchOptions {
        max_results: 10_000,
        threshold: 0.7,
        ..SearchOptions::default()
    };
    let mut compared = 0;
    for name in &names {
        let query = Query::name(name);
        let Ok(all) = index.search(&query, &everything) else {
            continue;
        };
        // The entries it finds, a listed entry it does not, and an id both lists could hold.
        let ids: HashSet<String> = all
            .iter()
            .take(3)
            .map(|m| m.entry_id.clone())
            .chain(["QDi.314".to_owned(), "2676".to_owned()])
            .collect();
        let restricted = SearchOptions {
            entry_ids: Some(ids.clone()),
            ..everything.clone()
        };
        let expected: Vec<Match> = all
            .into_iter()
            .filter(|m| ids.contains(&m.entry_id))
            .collect();
        assert_eq!(
            index.search(&query, &restricted).unwrap(),
            expected,
            "{name}"
        );
        compared += 1;
    }
    assert!(compared >= 290, "{compared}");
}
