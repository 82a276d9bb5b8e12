//! Watchlists from the command line: `verifyd screening import` reads published list files
//! (the format told by each file's name and first bytes), `lists` shows the versions in force,
//! `search` screens a name through the same matcher as processing, storing nothing.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use verifyd_domain::repository::ScreeningProfile;
use verifyd_domain::service::{
    report_json, ImportOutcome, ImportReport, ScreeningFailure, ScreeningQuery,
};
use verifyd_domain::Verifyd;
use verifyd_screening::{detect_format, ftm, ofac, un, ListFormat, ListVersion};

use crate::config::Settings;
use crate::serve::{open_domain, Runtime};

/// `verifyd screening import FILE... [--list NAME] [--max-shrink SHARE]`, and one subdirectory
/// of the watched list directory (`screening.watch_dir`).
#[derive(Debug, Clone)]
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
    let verifyd = open_domain(settings, runtime).await?;
    Ok(describe(&import_into(&verifyd, request).await?))
}

/// Reads and parses `request`'s files (off the async runtime) and imports them through
/// `verifyd` as one list version: the one import of the CLI and of the watched directory. An
/// empty, unparsable or truncated file, or a list that shrinks beyond `max_shrink`, is an error
/// naming the file and the reason, and the version in force stays.
pub async fn import_into(
    verifyd: &Verifyd,
    request: ImportRequest,
) -> anyhow::Result<ImportOutcome> {
    let paths = request.files;
    let files = off_runtime(move || read_list_files(&paths)).await?;
    let base = if needs_list_in_force(&files) {
        let name = request.list.as_deref().unwrap_or("opensanctions");
        Some(verifyd.watchlist_in_force(name).await?.ok_or_else(|| {
            anyhow!("a delta file applies to the list in force, and no list named {name} is loaded")
        })?)
    } else {
        None
    };
    let mut list = off_runtime(move || parse_list(&files, base)).await?;
    if let Some(name) = request.list {
        list.name = name;
    }
    Ok(verifyd.import_watchlist(list, request.max_shrink).await?)
}

/// Runs `work` on tokio's blocking threads: reading and parsing a list takes a CPU for a
/// while (about 0.1 s for OFAC), which must not hold up requests.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| anyhow!("reading the list stopped: {error}"))?
}

/// One file of a list, its format told by its name and first bytes.
struct ListFile {
    /// The file's path as given, for messages.
    name: String,
    format: ListFormat,
    bytes: Vec<u8>,
}

fn read_list_files(paths: &[PathBuf]) -> anyhow::Result<Vec<ListFile>> {
    let mut files = Vec::new();
    for path in paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let name = path.display().to_string();
        if bytes.iter().all(u8::is_ascii_whitespace) {
            bail!("{name} is empty");
        }
        let format = detect_format(&name, &bytes)
            .ok_or_else(|| anyhow!("{name}: not a list format verifyd reads (OFAC SDN CSV, UN consolidated XML, OpenSanctions FollowTheMoney JSON lines or delta)"))?;
        files.push(ListFile {
            name,
            format,
            bytes,
        });
    }
    Ok(files)
}

fn find(files: &[ListFile], wanted: ListFormat) -> Option<&[u8]> {
    files
        .iter()
        .find(|file| file.format == wanted)
        .map(|file| file.bytes.as_slice())
}

/// Whether the files are OpenSanctions deltas alone, which apply to the list in force.
fn needs_list_in_force(files: &[ListFile]) -> bool {
    let whole = [
        ListFormat::OfacSdn,
        ListFormat::UnConsolidated,
        ListFormat::FtmEntities,
    ];
    !whole.iter().any(|format| find(files, *format).is_some())
        && find(files, ListFormat::FtmDelta).is_some()
}

/// The list the files make: a whole list, or `base` (the version in force) with the deltas
/// applied. Its source is the files' names.
fn parse_list(files: &[ListFile], base: Option<ListVersion>) -> anyhow::Result<ListVersion> {
    let source = files
        .iter()
        .map(|file| {
            file.name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(file.name.as_str())
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut list = if let Some(sdn) = find(files, ListFormat::OfacSdn) {
        ofac::parse(
            sdn,
            find(files, ListFormat::OfacAlt),
            find(files, ListFormat::OfacAdd),
            find(files, ListFormat::OfacComments),
        )?
    } else if let Some(xml) = find(files, ListFormat::UnConsolidated) {
        un::parse(xml)?
    } else if let Some(entities) = find(files, ListFormat::FtmEntities) {
        ftm::parse(entities)?
    } else if let Some(mut base) = base {
        for file in files
            .iter()
            .filter(|file| file.format == ListFormat::FtmDelta)
        {
            base = ftm::apply_delta(&base, &file.bytes)?;
        }
        base
    } else {
        bail!("alt.csv, add.csv and sdn_comments.csv are read together with their sdn.csv")
    };
    list.source = source;
    Ok(list)
}

/// What an import did, as the CLI prints it.
pub fn describe(outcome: &ImportOutcome) -> String {
    match outcome {
        ImportOutcome::Imported(report) => describe_report(report),
        ImportOutcome::Unchanged(in_force) => format!(
            "{}: unchanged, the same {} entries as the version in force {}: nothing imported\n",
            in_force.name, in_force.entries, in_force.id
        ),
    }
}

fn describe_report(report: &ImportReport) -> String {
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
