//! The watched list directory (`screening.watch_dir`): the real OFAC lists of 1 and 3 May 2024
//! copied into a subdirectory of a watched temporary directory reach the searches of the
//! running server, a truncated or empty file is refused with the version in force staying, and
//! the same files seen again (rewritten, or at a restart) make no new version.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::time::Instant;
use verifyd_testkit::*;

/// How long a change may take to be imported: the settle time, parsing and indexing the list
/// in a debug build on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// The versions in force: (name, id, entries, source).
async fn in_force(server: &TestServer) -> Result<Vec<(String, String, u64, String)>> {
    verifyd_server::screening::lists(&server.settings)
        .await?
        .lines()
        .map(|line| {
            let list: Value = serde_json::from_str(line)?;
            let field = |name: &str| {
                list[name]
                    .as_str()
                    .map(str::to_owned)
                    .with_context(|| format!("{name} in {list}"))
            };
            Ok((
                field("name")?,
                field("id")?,
                list["entries"].as_u64().context("entries")?,
                field("source")?,
            ))
        })
        .collect()
}

/// The entry ids a one-off search for `name` born on `born` finds; none while no list is in
/// force.
async fn found(server: &TestServer, name: &str, born: &str) -> Result<Vec<String>> {
    let response = server
        .tenant(Method::POST, "/api/v1/screening/searches")
        .json(&json!({"name": name, "dateOfBirth": born}))
        .send()
        .await?;
    if response.status() == StatusCode::CONFLICT {
        return Ok(Vec::new());
    }
    let report = ok_json(response).await?;
    Ok(report["matches"]
        .as_array()
        .map(|matches| {
            matches
                .iter()
                .filter(|found| found["list"] == "ofac")
                .filter_map(|found| found["entryId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Waits until a search for `name` finds OFAC entry `entry`.
async fn until_found(server: &TestServer, name: &str, born: &str, entry: &str) -> Result<()> {
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        if found(server, name, born)
            .await?
            .iter()
            .any(|id| id == entry)
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("no search found {entry} within {DEADLINE:?}")
}

/// `verifyd_watchlist_imports_total{outcome}` of the server's metrics listener.
async fn imports(server: &TestServer, outcome: &str) -> Result<u64> {
    let url = server.metrics_url().context("no metrics listener")?;
    let text = server.http.get(url).send().await?.text().await?;
    let series = format!("verifyd_watchlist_imports_total{{outcome=\"{outcome}\"}} ");
    Ok(text
        .lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .map(|count| count.trim().parse::<u64>())
        .transpose()?
        .unwrap_or(0))
}

/// Waits until the watcher has counted `count` imports ending in `outcome`.
async fn until_counted(server: &TestServer, outcome: &str, count: u64) -> Result<()> {
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        if imports(server, outcome).await? >= count {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the watcher did not count {count} {outcome} imports within {DEADLINE:?}")
}

/// Writes `bytes` as `path` the way a download or a copy does: in place, over the old file.
fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

#[tokio::test]
async fn a_watched_directory_imports_each_subdirectory_as_a_list_when_its_files_change(
) -> Result<()> {
    let ofac = screening_data()?.join("ofac-2024-05");
    let first = std::fs::read(ofac.join("sdn-2024-05-01.csv"))?;
    let update = std::fs::read(ofac.join("sdn-2024-05-03.csv"))?;
    let watched = tempfile::tempdir()?;
    let list_dir = watched.path().join("ofac");
    std::fs::create_dir(&list_dir)?;
    let sdn = list_dir.join("sdn.csv");
    write(&sdn, &first)?;
    // A file directly in the watched directory belongs to no list: it is left alone.
    write(&watched.path().join("sdn.csv"), &first)?;
    let root = watched.path().to_owned();
    let configure = move |settings: &mut verifyd_server::Settings| {
        settings.screening.watch_dir = Some(root);
        settings.screening.settle_ms = 300;
        settings.metrics.listen = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    };
    let server = TestServer::start_with(configure).await?;

    // OFAC 2676, AL ZAWAHIRI, Dr. Ayman, born 19 Jun 1951: on both lists. The first list is
    // imported at start, under the subdirectory's name.
    until_found(&server, "Ayman al Zawahiri", "1951-06-19", "2676").await?;
    let lists = in_force(&server).await?;
    assert_eq!(lists.len(), 1, "the stray file is no list: {lists:?}");
    let (name, first_version, entries, source) = &lists[0];
    assert_eq!(
        (name.as_str(), *entries, source.as_str()),
        ("ofac", 14966, "sdn.csv")
    );
    // OFAC 48325, MOUKALLED, Firas Hasan, born 9 Oct 1990, was listed on 3 May 2024.
    let moukalled = ("Firas Hasan Moukalled", "1990-10-09", "48325");
    assert!(!found(&server, moukalled.0, moukalled.1)
        .await?
        .contains(&moukalled.2.to_owned()));

    // The update, copied over the old file, is imported once it has settled.
    write(&sdn, &update)?;
    until_found(&server, moukalled.0, moukalled.1, moukalled.2).await?;
    let lists = in_force(&server).await?;
    let (_, updated_version, entries, _) = &lists[0];
    assert_ne!(updated_version, first_version);
    assert_eq!(*entries, 14965, "7 added and 8 removed");

    // A truncated download and an empty file are refused; the update stays in force.
    let half: Vec<u8> = {
        let text = String::from_utf8_lossy(&update);
        let lines: Vec<&str> = text.split("\r\n").collect();
        lines[..lines.len() / 2].join("\r\n").into_bytes()
    };
    write(&sdn, &half)?;
    until_counted(&server, "refused", 1).await?;
    assert_eq!(in_force(&server).await?, lists);
    write(&sdn, b"")?;
    until_counted(&server, "refused", 2).await?;
    assert_eq!(in_force(&server).await?, lists);
    until_found(&server, moukalled.0, moukalled.1, moukalled.2).await?;

    // The update written again holds the version in force: no new version.
    write(&sdn, &update)?;
    until_counted(&server, "unchanged", 1).await?;
    assert_eq!(in_force(&server).await?, lists);
    assert_eq!(imports(&server, "imported").await?, 2);

    // A restart sees every file again, and imports nothing new.
    let server = server.restart_with(|_| {}).await?;
    until_counted(&server, "unchanged", 1).await?;
    assert_eq!(in_force(&server).await?, lists);
    assert_eq!(imports(&server, "imported").await?, 0);
    server.stop().await
}
