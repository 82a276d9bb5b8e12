#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use verifyd_screening::*;
#[test]
fn explore() {
    let un = common::un_list();
    println!("{:?}", un.counts());
    println!("{:#?}", un.entry("IQi.001"));
    println!(
        "{:#?}",
        un.entries.iter().find(|e| e
            .dates_of_birth
            .iter()
            .any(|d| matches!(d, BirthDate::Range { .. }))
            && e.names.iter().any(|n| n.kind == NameKind::OriginalScript))
    );
    let ofac = common::ofac_2024("03");
    let index = Index::build(&[&un, &ofac]);
    for q in [
        "Saddam Hussein al-Tikriti",
        "Sadam Husein Tikriti",
        "AL-TIKRITI SADDAM HUSSEIN",
        "صدام حسين التكريتي",
        "Mohammed",
        "Mohammed Smith",
        "John Smith",
        "Ali Hassan",
        "LTD",
        "BANCO NACIONAL DE CUBA",
        "Eric Badege",
        "Badege",
    ] {
        let r = index.search(
            &Query::name(q),
            &SearchOptions {
                threshold: 0.5,
                max_results: 3,
                ..SearchOptions::default()
            },
        );
        println!(
            "{q}: {:?}",
            r.map(|m| m
                .into_iter()
                .map(|m| (m.entry_id, m.matched_name, m.score, m.reasons))
                .collect::<Vec<_>>())
        );
    }
}
