//! Watchlists from the command line: `verifyd screening import` reads published list files
//! (the format told by each file's name and first bytes), `lists` shows the versions in force,
//! `search` screens a name through the same matcher as processing, storing nothing.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use verifyd_domain::repository::ScreeningProfile;
use verifyd_domain::service::{report_json, ImportReport, ScreeningFailure, ScreeningQuery};
use verifyd_screening::{detect_format, ftm, ofac, un, ListFormat, ListVersion};

use crate::config::Settings;
use crate::serve::{open_domain, Runtime};

/// `verifyd screening import FILE... [--list NAME] [--max-shrink SHARE]`.
pub struct ImportRequest {
    pub files: Vec<PathBuf>,
    /// The list's name, when not the format's own (`ofac-sdn`, `un-consolidated`,
    /// `opensanctions`): two lists of one format are told apart by it.
    pub list: Option<String>,
    pub max_shrink: f64,
}

/// Imports the files as one new list version and says what changed.
pub async fn import(settings: &Settings, request: ImportRequest) -> anyhow::Result<String> {
    import_with(settings, &Runtime::default(), request).await
}

/// As [`import`], on `runtime`'s clock and randomness (a test server's).
pub async fn import_with(
    settings: &Settings,
    runtime: &Runtime,
    request: ImportRequest,
) -> anyhow::Result<String> {
    let mut files = Vec::new();
    for path in &request.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            bail!("{name} is empty");
        }
        let format = detect_format(&name, &bytes)
            .ok_or_else(|| anyhow!("{name}: not a list format verifyd reads (OFAC SDN CSV, UN consolidated XML, OpenSanctions FollowTheMoney JSON lines or delta)"))?;
        files.push((name, format, bytes));
    }
    let verifyd = open_domain(settings, runtime).await?;
    let find = |wanted: ListFormat| {
        files
            .iter()
            .find(|(_, format, _)| *format == wanted)
            .map(|(_, _, bytes)| bytes.as_slice())
    };
    let source = files
        .iter()
        .map(|(name, _, _)| {
            name.rsplit(['/', '\\'])
                .next()
                .unwrap_or(name.as_str())
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut list: ListVersion = if let Some(sdn) = find(ListFormat::OfacSdn) {
        ofac::parse(
            sdn,
            find(ListFormat::OfacAlt),
            find(ListFormat::OfacAdd),
            find(ListFormat::OfacComments),
        )?
    } else if let Some(xml) = find(ListFormat::UnConsolidated) {
        un::parse(xml)?
    } else if let Some(entities) = find(ListFormat::FtmEntities) {
        ftm::parse(entities)?
    } else if files
        .iter()
        .any(|(_, format, _)| *format == ListFormat::FtmDelta)
    {
        let name = request.list.as_deref().unwrap_or("opensanctions");
        let mut base = verifyd.watchlist_in_force(name).await?.ok_or_else(|| {
            anyhow!("a delta file applies to the list in force, and no list named {name} is loaded")
        })?;
        for (_, _, bytes) in files
            .iter()
            .filter(|(_, format, _)| *format == ListFormat::FtmDelta)
        {
            base = ftm::apply_delta(&base, bytes)?;
        }
        base
    } else {
        bail!("alt.csv, add.csv and sdn_comments.csv are read together with their sdn.csv")
    };
    if let Some(name) = request.list {
        list.name = name;
    }
    list.source = source;
    let report = verifyd.import_watchlist(list, request.max_shrink).await?;
    Ok(describe(&report))
}

fn describe(report: &ImportReport) -> String {
    let counts = &report.counts;
    let mut text = format!(
        "{}: {} entries ({} persons, {} organisations), {} aliases, imported as {}\n",
        report.list.name,
        counts.entries,
        counts.persons,
        counts.organizations,
        counts.aliases,
        report.list.id
    );
    if let Some((replaced, added, changed, removed)) = &report.replaced {
        text.push_str(&format!(
            "replaces {} ({} entries): {added} added, {changed} changed, {removed} removed\n",
            replaced.id, replaced.entries
        ));
    }
    let monitoring = &report.monitoring;
    if monitoring.tenants > 0 {
        text.push_str(&format!(
            "monitoring: {} holders of {} tenants screened again against {} entries in {:.2} s, {} with a new match (called back)\n",
            monitoring.holders, monitoring.tenants, monitoring.entries, monitoring.seconds, monitoring.hits
        ));
    }
    text
}

/// The versions in force, one JSON object per line.
pub async fn lists(settings: &Settings) -> anyhow::Result<String> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let mut text = String::new();
    for list in verifyd.watchlists().await? {
        text.push_str(&serde_json::to_string(&serde_json::json!({
            "id": list.id.to_string(),
            "name": list.name,
            "source": list.source,
            "published": list.published.map(|date| date.to_string()),
            "importedAt": verifyd_domain::timestamp::format(list.imported_at),
            "entries": list.entries,
        }))?);
        text.push('\n');
    }
    Ok(text)
}

/// The matches of `query` over the lists in force, as the search report shows them.
pub async fn search(
    settings: &Settings,
    query: ScreeningQuery,
) -> anyhow::Result<serde_json::Value> {
    let runtime = Runtime::default();
    let verifyd = open_domain(settings, &runtime).await?;
    let (lists, matches, threshold) = verifyd
        .search_in_force(&query, &ScreeningProfile::default())
        .await
        .map_err(|failure| match failure {
            ScreeningFailure::NotEnoughData(error) => anyhow!("no name to search: {error}"),
            other => anyhow!("{other}"),
        })?;
    Ok(report_json(&query, &lists, &matches, threshold))
}

/// A date of birth as a search takes it: YYYY-MM-DD, or YYYY when only the year is known.
pub fn birth_date(text: &str) -> Result<verifyd_screening::BirthDate, String> {
    let text = text.trim();
    if let Ok(date) = text.parse() {
        return Ok(verifyd_screening::BirthDate::Date(date));
    }
    text.parse::<i32>()
        .ok()
        .filter(|year| (1800..=2200).contains(year))
        .map(verifyd_screening::BirthDate::Year)
        .ok_or_else(|| format!("{text:?} is no date of birth: give YYYY-MM-DD or YYYY"))
}
