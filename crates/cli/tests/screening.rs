//! `verifyd screening` as an operator uses it: the real published lists imported, a list update
//! reported as what it added and removed, every refusal leaving the version in force alone, and
//! a name searched through the same matcher as processing.

mod binary;

use std::path::{Path, PathBuf};
use std::process::Output;

use anyhow::{Context, Result};
use binary::verifyd;
use serde_json::Value;
use verifyd_testkit::screening_data;

fn screening(dir: &Path, args: &[&str], files: &[PathBuf]) -> Result<Output> {
    Ok(verifyd(dir)
        .arg("screening")
        .args(args)
        .args(files)
        .output()?)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The versions in force, by list name: (id, entries).
fn in_force(dir: &Path) -> Result<Vec<(String, String, u64)>> {
    let output = screening(dir, &["lists"], &[])?;
    anyhow::ensure!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
        .lines()
        .map(|line| {
            let list: Value = serde_json::from_str(line)?;
            Ok((
                list["name"].as_str().context("name")?.to_owned(),
                list["id"].as_str().context("id")?.to_owned(),
                list["entries"].as_u64().context("entries")?,
            ))
        })
        .collect()
}

#[test]
fn lists_are_imported_updated_and_refused_as_published() -> Result<()> {
    let data = screening_data()?;
    let dir = tempfile::tempdir()?;
    let ofac = data.join("ofac-2024-05");

    let first = screening(dir.path(), &["import"], &[ofac.join("sdn-2024-05-01.csv")])?;
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).starts_with("ofac-sdn: 14966 entries"),
        "{}",
        stdout(&first)
    );
    let update = screening(dir.path(), &["import"], &[ofac.join("sdn-2024-05-03.csv")])?;
    assert!(update.status.success(), "{}", stderr(&update));
    assert!(
        stdout(&update).contains("7 added") && stdout(&update).contains("8 removed"),
        "the real update of 3 May 2024: {}",
        stdout(&update)
    );
    let un = screening(
        dir.path(),
        &["import"],
        &[data.join("un/UN_consolidated.xml")],
    )?;
    assert!(un.status.success(), "{}", stderr(&un));
    let before = in_force(dir.path())?;
    assert_eq!(
        before
            .iter()
            .map(|(name, _, entries)| (name.as_str(), *entries))
            .collect::<Vec<_>>(),
        vec![("ofac-sdn", 14965), ("un-consolidated", 1003)]
    );

    // Each refusal names its cause, and the versions in force stay.
    let scratch = tempfile::tempdir()?;
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf> {
        let path = scratch.path().join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    };
    let full = std::fs::read(ofac.join("sdn-2024-05-03.csv"))?;
    let half: Vec<u8> = {
        let text = String::from_utf8_lossy(&full);
        let lines: Vec<&str> = text.split("\r\n").collect();
        lines[..lines.len() / 2].join("\r\n").into_bytes()
    };
    let xml = std::fs::read(data.join("un/UN_consolidated.xml"))?;
    let cases = [
        (write("sdn-empty.csv", b"")?, "is empty"),
        (write("sdn-half.csv", &half)?, "a shrink of 50.0%"),
        (write("list.xml", &xml[..xml.len() / 2])?, "truncated"),
        (write("notes.txt", b"hello, world\n")?, "not a list format"),
    ];
    for (file, cause) in cases {
        let refused = screening(dir.path(), &["import"], std::slice::from_ref(&file))?;
        assert!(!refused.status.success(), "{} was imported", file.display());
        assert!(
            stderr(&refused).to_lowercase().contains(cause),
            "{}: {}",
            file.display(),
            stderr(&refused)
        );
    }
    assert_eq!(in_force(dir.path())?, before);

    // A smaller list is taken when the operator says so.
    let shrunk = screening(
        dir.path(),
        &["import", "--max-shrink", "0.9"],
        &[write("sdn.csv", &half)?],
    )?;
    assert!(shrunk.status.success(), "{}", stderr(&shrunk));
    Ok(())
}

#[test]
fn a_name_is_searched_in_the_lists_in_force() -> Result<()> {
    let data = screening_data()?;
    let dir = tempfile::tempdir()?;
    let none = screening(dir.path(), &["search", "Tariq Aziz"], &[])?;
    assert!(!none.status.success());
    assert!(
        stderr(&none).contains("no watchlist is loaded"),
        "{}",
        stderr(&none)
    );

    let un = screening(
        dir.path(),
        &["import"],
        &[data.join("un/UN_consolidated.xml")],
    )?;
    assert!(un.status.success(), "{}", stderr(&un));
    let found = screening(
        dir.path(),
        &["search", "Tareq Aziz", "--dob", "1936-07-01"],
        &[],
    )?;
    assert!(found.status.success(), "{}", stderr(&found));
    let report: Value = serde_json::from_slice(&found.stdout)?;
    let best = &report["matches"][0];
    assert_eq!(best["entryId"], "IQi.025", "{report}");
    assert_eq!(best["list"], "un-consolidated");
    assert!(
        best["reasons"].to_string().contains("DateOfBirthMatches"),
        "{best}"
    );

    let empty = screening(dir.path(), &["search", "  "], &[])?;
    assert!(!empty.status.success());
    assert!(
        stderr(&empty).contains("no name to search"),
        "{}",
        stderr(&empty)
    );
    let bad_date = screening(dir.path(), &["search", "Tariq Aziz", "--dob", "July"], &[])?;
    assert!(!bad_date.status.success());
    assert!(
        stderr(&bad_date).contains("YYYY-MM-DD"),
        "{}",
        stderr(&bad_date)
    );
    Ok(())
}

#[test]
fn a_tenants_screening_profile_is_shown_and_changed() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let created = verifyd(dir.path())
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(created.status.success(), "{}", stderr(&created));
    let profile = |args: &[&str]| -> Result<Output> {
        Ok(verifyd(dir.path())
            .args(["tenant", "screening", "acme"])
            .args(args)
            .output()?)
    };
    let shown = profile(&[])?;
    assert!(shown.status.success(), "{}", stderr(&shown));
    let default: Value = serde_json::from_slice(&shown.stdout)?;
    assert_eq!(
        default,
        serde_json::json!({"lists": null, "threshold": null, "searchStatus": "DONE", "monitoring": false, "searchProfiles": {}})
    );
    let changed = profile(&[
        "--lists",
        "un-consolidated, ofac-sdn",
        "--search-status",
        "SUCCESS",
    ])?;
    assert!(changed.status.success(), "{}", stderr(&changed));
    let changed: Value = serde_json::from_slice(&changed.stdout)?;
    assert_eq!(
        changed,
        serde_json::json!({"lists": ["un-consolidated", "ofac-sdn"], "threshold": null, "searchStatus": "SUCCESS", "monitoring": false, "searchProfiles": {}})
    );
    let kept: Value = serde_json::from_slice(&profile(&["--threshold", "0.9"])?.stdout)?;
    assert_eq!(kept["lists"], changed["lists"], "what is not given stays");
    assert_eq!(kept["threshold"], serde_json::json!(0.9));
    for bad in [
        &["--search-status", "FINE"][..],
        &["--threshold", "2"],
        &["--lists", ","],
        &["--profile", "no spaces", "--lists", "un-consolidated"],
        &["--profile", "pep", "--monitoring", "on"],
        &["--remove"],
    ] {
        let refused = profile(bad)?;
        assert!(!refused.status.success(), "{bad:?} was taken");
    }

    // Named search profiles, which a request chooses by searchProfile.
    let named: Value = serde_json::from_slice(
        &profile(&[
            "--profile",
            "sanctions-only",
            "--lists",
            "ofac-sdn",
            "--threshold",
            "0.95",
        ])?
        .stdout,
    )?;
    assert_eq!(
        named["searchProfiles"],
        serde_json::json!({"sanctions-only": {"lists": ["ofac-sdn"], "threshold": 0.95}})
    );
    assert_eq!(
        named["lists"], changed["lists"],
        "the default profile stays"
    );
    let removed: Value =
        serde_json::from_slice(&profile(&["--profile", "sanctions-only", "--remove"])?.stdout)?;
    assert_eq!(removed["searchProfiles"], serde_json::json!({}));
    Ok(())
}
