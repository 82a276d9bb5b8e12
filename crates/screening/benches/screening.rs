//! The screening benchmark: recall on UN positives, false alerts on unlisted names, F1 on
//! labelled name pairs, search latency, import time and memory. Plain main, printed tables.
//!
//! ```text
//! export CARGO_TARGET_DIR=target
//! nice -n 10 cargo bench -p verifyd-screening --bench screening
//! ```
//!
//! Reads `../shared/screening/` in place (or `$VERIFYD_SCREENING_DATA`). Set
//! `SCREENING_BENCH_NEGATIVES=N` to use only the first N names of each negative set (default
//! all 50,000), and `SCREENING_BENCH_VERBOSE=1` to print missed positives and false alerts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use verifyd_screening::{
    diff, ftm, ofac, un, BirthDate, EntryKind, Gender, Index, ListVersion, Query, SearchOptions,
    DEFAULT_THRESHOLD,
};

const THRESHOLDS: &[f64] = &[
    0.70, 0.74, 0.78, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.95,
];

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

struct Row {
    full_name: String,
    gender: Option<Gender>,
    date_of_birth: Option<BirthDate>,
    nationality: Option<String>,
}

fn rows(relative: &str, limit: usize) -> Vec<Row> {
    let bytes = common::read(relative);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    reader
        .records()
        .take(limit)
        .map(|record| {
            let record = record.unwrap();
            let get = |at: usize| record.get(at).unwrap_or("").trim().to_owned();
            Row {
                full_name: get(0),
                gender: Gender::parse(&get(4)),
                date_of_birth: BirthDate::parse_iso(&get(5)),
                nationality: Some(get(7)).filter(|n| !n.is_empty()),
            }
        })
        .collect()
}

fn query(row: &Row, details: bool) -> Query {
    Query {
        name: row.full_name.clone(),
        date_of_birth: if details { row.date_of_birth } else { None },
        nationality: if details {
            row.nationality.clone()
        } else {
            None
        },
        gender: if details { row.gender } else { None },
    }
}

fn sorted_tokens(text: &str) -> Vec<String> {
    let mut tokens = verifyd_screening::normalise::tokens(text);
    tokens.sort();
    tokens
}

/// The UN entry each positive row stands for: the person whose primary name or alias has the
/// untreated full name's words, ties broken by date of birth.
fn intended(un_list: &ListVersion, untreated: &[Row]) -> Vec<Option<String>> {
    let mut by_name: HashMap<Vec<String>, Vec<&verifyd_screening::Entry>> = HashMap::new();
    for entry in &un_list.entries {
        if entry.kind != EntryKind::Person {
            continue;
        }
        for name in &entry.names {
            let key = sorted_tokens(&name.text);
            let list = by_name.entry(key).or_default();
            if !list.iter().any(|e| e.id == entry.id) {
                list.push(entry);
            }
        }
    }
    untreated
        .iter()
        .map(|row| {
            let candidates = by_name.get(&sorted_tokens(&row.full_name))?;
            let chosen = candidates
                .iter()
                .find(|e| {
                    row.date_of_birth.is_some_and(|d| {
                        e.dates_of_birth
                            .iter()
                            .any(|l| l.years().0 <= d.years().0 && d.years().0 <= l.years().1)
                    })
                })
                .or(candidates.first())?;
            Some(chosen.id.clone())
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn main() {
    let verbose = std::env::var_os("SCREENING_BENCH_VERBOSE").is_some();
    let negatives_limit: usize = std::env::var("SCREENING_BENCH_NEGATIVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);

    // ---- import time and memory -------------------------------------------------------
    println!("## Import (one thread)\n");
    println!("| list | entries | names | parse ms | JSON MiB | VmHWM after, MiB |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let timed = |label: &str, parse: &dyn Fn() -> ListVersion| -> ListVersion {
        let start = Instant::now();
        let list = parse();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let json = serde_json::to_vec(&list).map(|v| v.len()).unwrap_or(0);
        let names: usize = list.entries.iter().map(|e| e.names.len()).sum();
        println!(
            "| {label} | {} | {names} | {ms:.0} | {:.1} | {:.0} |",
            list.entries.len(),
            json as f64 / 1048576.0,
            vm_hwm_kib() as f64 / 1024.0
        );
        list
    };
    let ofac_2021 = timed("OFAC 2021-07 (sdn+alt+add+comments)", &|| {
        ofac::parse(
            &common::read("ofac-2021-07/sdn.csv"),
            Some(&common::read("ofac-2021-07/alt.csv")),
            Some(&common::read("ofac-2021-07/add.csv")),
            Some(&common::read("ofac-2021-07/sdn_comments.csv")),
        )
        .unwrap()
    });
    let ofac_2024 = timed("OFAC 2024-05-03 (sdn.csv)", &|| {
        ofac::parse(
            &common::read("ofac-2024-05/sdn-2024-05-03.csv"),
            None,
            None,
            None,
        )
        .unwrap()
    });
    let un_list = timed("UN consolidated", &|| {
        un::parse(&common::read("un/UN_consolidated.xml")).unwrap()
    });
    let _ftm = timed("OpenSanctions FtM sample", &|| {
        ftm::parse(&common::read("opensanctions/entities.ftm.json")).unwrap()
    });
    let start = Instant::now();
    let index_un = Index::build(&[&un_list]);
    let un_ms = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let index_alerts = Index::build(&[&ofac_2024, &un_list]);
    let alerts_ms = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let index_latency = Index::build(&[&ofac_2021, &un_list]);
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("\n| index | entries | names | build ms |");
    println!("| --- | ---: | ---: | ---: |");
    for (label, index, ms) in [
        ("UN", &index_un, un_ms),
        ("OFAC 2024-05-03 + UN", &index_alerts, alerts_ms),
        ("OFAC 2021-07 (aliases) + UN", &index_latency, latency_ms),
    ] {
        let (entries, names) = index.len();
        println!("| {label} | {entries} | {names} | {ms:.0} |");
    }
    println!(
        "\nVmHWM with the three indexes built: {:.0} MiB\n",
        vm_hwm_kib() as f64 / 1024.0
    );

    let low = SearchOptions {
        threshold: 0.6,
        max_results: 50,
        ..SearchOptions::default()
    };

    // ---- recall on UN positives -------------------------------------------------------
    let untreated = rows("bench/positives_un_untreated.csv", usize::MAX);
    let treated = rows("bench/positives_un_treated.csv", usize::MAX);
    let targets = intended(&un_list, &untreated);
    let mapped = targets.iter().filter(|t| t.is_some()).count();
    println!("## Recall on UN positives (index: UN list)\n");
    println!(
        "{mapped} of {} rows mapped to their UN entry by the untreated name\n",
        untreated.len()
    );
    if verbose {
        for (row, target) in untreated.iter().zip(&targets) {
            if target.is_none() {
                println!("  unmapped: {:?} {:?}", row.full_name, row.date_of_birth);
            }
        }
    }
    let mut recall_rows: Vec<(String, Vec<f64>)> = Vec::new();
    for (label, set, details) in [
        ("untreated, name only", &untreated, false),
        ("untreated, name+DOB+nationality+gender", &untreated, true),
        ("treated, name only", &treated, false),
        ("treated, name+DOB+nationality+gender", &treated, true),
    ] {
        let mut scores = Vec::new();
        for (row, target) in set.iter().zip(&targets) {
            let Some(target) = target else { continue };
            let matches = index_un
                .search(&query(row, details), &low)
                .unwrap_or_default();
            let score = matches
                .iter()
                .find(|m| &m.entry_id == target)
                .map_or(0.0, |m| m.score);
            if verbose && score < DEFAULT_THRESHOLD && details {
                let entry = un_list.entry(target).unwrap();
                println!(
                    "  missed ({label}) {:?} dob {:?} -> {} {:?} {:?}; best {:?}",
                    row.full_name,
                    row.date_of_birth,
                    target,
                    entry.primary_name(),
                    entry.dates_of_birth,
                    matches
                        .first()
                        .map(|m| (&m.matched_name, m.score, &m.reasons))
                );
            }
            scores.push(score);
        }
        recall_rows.push((label.to_owned(), scores));
    }
    print!("| set |");
    for t in THRESHOLDS {
        print!(" {t:.2} |");
    }
    println!();
    print!("| --- |");
    for _ in THRESHOLDS {
        print!(" ---: |");
    }
    println!();
    for (label, scores) in &recall_rows {
        print!("| {label} |");
        for t in THRESHOLDS {
            let found = scores.iter().filter(|s| **s >= *t).count();
            print!(
                " {:.1}% |",
                found as f64 * 100.0 / scores.len().max(1) as f64
            );
        }
        println!();
    }

    // ---- false alerts on negatives ----------------------------------------------------
    println!("\n## False alerts per 1,000 unlisted names (index: OFAC 2024-05-03 + UN)\n");
    let mut alert_rows: Vec<(String, Vec<f64>)> = Vec::new();
    let mut latencies = Vec::new();
    for (label, file) in [
        ("global", "bench/negatives_global.csv"),
        ("us", "bench/negatives_us.csv"),
    ] {
        let set = rows(file, negatives_limit);
        for details in [false, true] {
            let mut best = Vec::with_capacity(set.len());
            let mut shown = 0;
            for row in &set {
                let start = Instant::now();
                let matches = index_alerts
                    .search(&query(row, details), &low)
                    .unwrap_or_default();
                if details {
                    latencies.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                let score = matches.first().map_or(0.0, |m| m.score);
                if verbose && details && score >= DEFAULT_THRESHOLD && shown < 15 {
                    shown += 1;
                    let m = &matches[0];
                    println!(
                        "  alert ({label}) {:?} -> {} {:?} via {:?} {} {:?}",
                        row.full_name, m.entry_id, m.entry_name, m.matched_name, m.score, m.reasons
                    );
                }
                best.push(score);
            }
            let name = format!(
                "{label} ({} names), {}",
                set.len(),
                if details { "name+details" } else { "name only" }
            );
            alert_rows.push((name, best));
        }
    }
    print!("| set |");
    for t in THRESHOLDS {
        print!(" {t:.2} |");
    }
    println!();
    print!("| --- |");
    for _ in THRESHOLDS {
        print!(" ---: |");
    }
    println!();
    for (label, scores) in &alert_rows {
        print!("| {label} |");
        for t in THRESHOLDS {
            let alerts = scores.iter().filter(|s| **s >= *t).count();
            print!(
                " {:.2} |",
                alerts as f64 * 1000.0 / scores.len().max(1) as f64
            );
        }
        println!();
    }

    // ---- name pairs -------------------------------------------------------------------
    println!("\n## Name pairs (bench/name-pairs.csv; word frequencies of OFAC 2021-07 + UN)\n");
    let bytes = common::read("bench/name-pairs.csv");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut pairs = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let score = index_latency
            .compare_names(record.get(2).unwrap_or(""), record.get(3).unwrap_or(""))
            .score;
        pairs.push((
            score,
            record.get(4) == Some("true"),
            record.get(2).unwrap_or("").to_owned(),
            record.get(3).unwrap_or("").to_owned(),
        ));
    }
    println!("| threshold | precision | recall | F1 |");
    println!("| ---: | ---: | ---: | ---: |");
    let mut best_f1 = (0.0, 0.0);
    for step in 50..=98 {
        let t = step as f64 / 100.0;
        let tp = pairs.iter().filter(|p| p.0 >= t && p.1).count() as f64;
        let fp = pairs.iter().filter(|p| p.0 >= t && !p.1).count() as f64;
        let fneg = pairs.iter().filter(|p| p.0 < t && p.1).count() as f64;
        let precision = tp / (tp + fp).max(1.0);
        let recall = tp / (tp + fneg).max(1.0);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        if f1 > best_f1.1 {
            best_f1 = (t, f1);
        }
        if step % 4 == 2 || (t - DEFAULT_THRESHOLD).abs() < 1e-9 {
            println!("| {t:.2} | {precision:.3} | {recall:.3} | {f1:.3} |");
        }
    }
    println!(
        "\nbest F1 {:.3} at {:.2} (OpenSanctions logic-v2: 0.790 at 0.70)",
        best_f1.1, best_f1.0
    );
    if verbose {
        for (score, is_match, a, b) in &pairs {
            if (*score >= best_f1.0) != *is_match {
                println!("  pair wrong: {a:?} / {b:?} score {score:.3} labelled {is_match}");
            }
        }
    }

    // ---- latency ----------------------------------------------------------------------
    println!("\n## Search latency, one thread\n");
    let options = SearchOptions::default();
    let mut queries: Vec<Query> = treated.iter().map(|r| query(r, true)).collect();
    queries.extend(
        rows("bench/negatives_global.csv", 2000)
            .iter()
            .map(|r| query(r, true)),
    );
    queries.extend(
        rows("bench/negatives_us.csv", 2000)
            .iter()
            .map(|r| query(r, true)),
    );
    let mut times = Vec::new();
    for _ in 0..3 {
        for q in &queries {
            let start = Instant::now();
            let _ = index_latency.search(q, &options);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let (entries, names) = index_latency.len();
    println!(
        "OFAC 2021-07 with aliases + UN ({entries} entries, {names} names), {} searches:",
        times.len()
    );
    println!(
        "p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(0.0)
    );
    latencies.sort_by(f64::total_cmp);
    println!("OFAC 2024-05-03 + UN, the negative sets with details ({} searches): p50 {:.3} ms, p99 {:.3} ms", latencies.len(), percentile(&latencies, 0.5), percentile(&latencies, 0.99));

    // ---- ongoing monitoring --------------------------------------------------------------
    println!("\n## Monitoring: the OFAC update of 2024-05-03 over 100,000 stored holders\n");
    let before = ofac::parse(
        &common::read("ofac-2024-05/sdn-2024-05-01.csv"),
        None,
        None,
        None,
    )
    .unwrap();
    let changes = diff(&before, &ofac_2024);
    let rescreen: HashSet<String> = changes.to_rescreen().into_iter().collect();
    let mut holders: Vec<Query> = rows("bench/negatives_global.csv", negatives_limit)
        .iter()
        .map(|r| query(r, true))
        .collect();
    holders.extend(
        rows("bench/negatives_us.csv", negatives_limit)
            .iter()
            .map(|r| query(r, true)),
    );
    let options = SearchOptions {
        lists: Some(HashSet::from([ofac_2024.name.clone()])),
        entry_ids: Some(rescreen.clone()),
        ..SearchOptions::default()
    };
    let start = Instant::now();
    let mut hits = 0;
    for holder in &holders {
        if index_alerts
            .search(holder, &options)
            .is_ok_and(|found| !found.is_empty())
        {
            hits += 1;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} holders (the negative sets, with details) against the {} added and changed entries \
         (index: OFAC 2024-05-03 + UN): {seconds:.1} s, {:.3} ms a holder, {hits} with a match",
        holders.len(),
        rescreen.len(),
        1000.0 * seconds / holders.len().max(1) as f64
    );
}
