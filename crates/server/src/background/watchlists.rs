//! The watched list directory (`screening.watch_dir`, docs/screening.md). Each immediate
//! subdirectory is one list, named after it; its files are imported together as one version
//! through the import of `verifyd screening import FILE... --list NAME`
//! ([`crate::screening::import_into`]). Every subdirectory is imported at start, and again once
//! its files have changed and then stayed unchanged for `screening.settle_ms` (a copy in
//! progress keeps changing them). Files directly in the directory belong to no list: they are
//! left alone, with a warning. A list whose files hold the version in force stores nothing; a
//! refused one leaves the version in force, and the watch goes on. The log names lists, files,
//! counts and reasons, never a listed person.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{Config, Event, EventKind, EventKindMask, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use verifyd_domain::service::ImportOutcome;
use verifyd_domain::Verifyd;

use crate::config::{self, ConfigError};
use crate::screening::{import_into, ImportRequest};
use crate::telemetry::{Metrics, WatchlistImport};

/// The watched directory, its OS watch set up, and the settings its imports follow.
pub struct WatchedDir {
    root: PathBuf,
    settle: Duration,
    max_shrink: f64,
    events: mpsc::UnboundedReceiver<notify::Result<Event>>,
    /// Dropping it ends the OS watch: it lives as long as the loop.
    watcher: RecommendedWatcher,
}

/// What a change is about: a list's subdirectory, or a file directly in the watched directory.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Target {
    List(String),
    Stray(PathBuf),
}

impl WatchedDir {
    /// Watches `screening.watch_dir`, if it is set: a directory that is not there, or that
    /// the OS does not let verifyd watch, stops the start.
    pub fn open(settings: &config::Screening) -> Result<Option<Self>, ConfigError> {
        let Some(root) = settings.watched_dir()? else {
            return Ok(None);
        };
        let cannot = |error: notify::Error| {
            ConfigError::Invalid(format!(
                "cannot watch screening.watch_dir {}: {error}",
                root.display()
            ))
        };
        let (sender, events) = mpsc::unbounded_channel();
        // Our own reads of the files (access events) and metadata changes are no change of
        // a list: they would re-import it for nothing.
        let kinds = EventKindMask::CREATE
            | EventKindMask::REMOVE
            | EventKindMask::MODIFY_DATA
            | EventKindMask::MODIFY_NAME;
        let mut watcher = RecommendedWatcher::new(
            move |event: notify::Result<Event>| {
                // The loop has ended when the receiver is gone: nothing is left to tell.
                let _ = sender.send(event);
            },
            Config::default().with_event_kinds(kinds),
        )
        .map_err(cannot)?;
        watcher
            .watch(&root, RecursiveMode::Recursive)
            .map_err(cannot)?;
        Ok(Some(Self {
            settle: Duration::from_millis(settings.settle_ms),
            max_shrink: settings.max_shrink,
            events,
            watcher,
            root,
        }))
    }

    /// Imports every list now, then each changed one once it has settled, until `stop`.
    pub async fn run(
        mut self,
        verifyd: Arc<Verifyd>,
        metrics: Arc<Metrics>,
        mut stop: watch::Receiver<bool>,
    ) {
        tracing::info!(dir = %self.root.display(), "watching the list directory");
        let mut due: HashMap<Target, Instant> = HashMap::new();
        self.everything_due(&mut due, Instant::now());
        while !*stop.borrow() {
            let next = due.values().min().copied();
            tokio::select! {
                changed = stop.changed() => if changed.is_err() { break },
                event = self.events.recv() => match event {
                    Some(Ok(event)) => self.note(&event, &mut due),
                    Some(Err(error)) => {
                        tracing::warn!(%error, "the watch of the list directory failed; every list is read again");
                        self.everything_due(&mut due, Instant::now() + self.settle);
                    }
                    None => break,
                },
                () = tokio::time::sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                    let now = Instant::now();
                    let mut ready: Vec<Target> = due
                        .iter()
                        .filter(|(_, at)| **at <= now)
                        .map(|(target, _)| target.clone())
                        .collect();
                    ready.sort();
                    for target in ready {
                        due.remove(&target);
                        match target {
                            Target::List(name) => self.import(&verifyd, &metrics, &name).await,
                            Target::Stray(path) => warn_stray(&path),
                        }
                    }
                }
            }
        }
        // The OS watch ends here, with the loop.
        drop(self.watcher);
    }

    /// Marks every list (and every stray file) of the directory due at `at`.
    fn everything_due(&self, due: &mut HashMap<Target, Instant>, at: Instant) {
        match std::fs::read_dir(&self.root) {
            Ok(entries) => {
                for entry in entries.flatten() {
                    if let Some(target) = self.target(&entry.path()) {
                        due.insert(target, at);
                    }
                }
            }
            Err(error) => tracing::warn!(
                dir = %self.root.display(),
                %error,
                "the list directory cannot be read; the versions in force stay"
            ),
        }
    }

    /// Puts off the import of whatever `event` changed until it has settled.
    fn note(&self, event: &Event, due: &mut HashMap<Target, Instant>) {
        let at = Instant::now() + self.settle;
        if event.need_rescan() {
            self.everything_due(due, at);
            return;
        }
        if matches!(
            event.kind,
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
        ) {
            return;
        }
        for path in &event.paths {
            if let Some(target) = self.target(path) {
                due.insert(target, at);
            }
        }
    }

    /// The list a path below the directory belongs to: its first component below the
    /// directory, when that is a (not hidden) subdirectory; a file directly in the directory
    /// is a stray. `None` for the directory itself, hidden names, and what is gone.
    fn target(&self, path: &Path) -> Option<Target> {
        let relative = path.strip_prefix(&self.root).ok()?;
        let mut components = relative.components();
        let Some(Component::Normal(first)) = components.next() else {
            return None;
        };
        if first.to_string_lossy().starts_with('.') {
            return None;
        }
        let top = self.root.join(first);
        if components.next().is_none() && !top.is_dir() {
            return top.is_file().then_some(Target::Stray(top));
        }
        match first.to_str() {
            Some(name) => Some(Target::List(name.to_owned())),
            None => {
                tracing::warn!(
                    dir = %top.display(),
                    "a subdirectory whose name is not UTF-8 names no list: it is not imported"
                );
                None
            }
        }
    }

    /// Imports the list `name` from its subdirectory and logs what came of it.
    async fn import(&self, verifyd: &Verifyd, metrics: &Metrics, name: &str) {
        let dir = self.root.join(name);
        let files = match list_files(&dir) {
            Ok(files) => files,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                tracing::info!(
                    list = name,
                    "the list's subdirectory is gone; its version in force stays"
                );
                return;
            }
            Err(error) => {
                metrics.watchlist_import(WatchlistImport::Refused);
                tracing::warn!(list = name, %error, "the list's subdirectory cannot be read; the version in force stays");
                return;
            }
        };
        if files.is_empty() {
            tracing::info!(
                list = name,
                "the list's subdirectory holds no file; its version in force, if any, stays"
            );
            return;
        }
        let request = ImportRequest {
            files,
            list: Some(name.to_owned()),
            max_shrink: self.max_shrink,
        };
        match import_into(verifyd, request).await {
            Ok(ImportOutcome::Imported(report)) => {
                metrics.watchlist_import(WatchlistImport::Imported);
                let (added, changed, removed) = report
                    .replaced
                    .as_ref()
                    .map(|(_, added, changed, removed)| (*added, *changed, *removed))
                    .unwrap_or((report.counts.entries, 0, 0));
                tracing::info!(
                    list = name,
                    version = %report.list.id,
                    entries = report.counts.entries,
                    added,
                    changed,
                    removed,
                    monitored_holders = report.monitoring.holders,
                    new_matches = report.monitoring.hits,
                    "list imported from the watched directory"
                );
            }
            Ok(ImportOutcome::Unchanged(in_force)) => {
                metrics.watchlist_import(WatchlistImport::Unchanged);
                tracing::info!(
                    list = name,
                    version = %in_force.id,
                    entries = in_force.entries,
                    "list unchanged: its files hold the version in force; nothing imported"
                );
            }
            Err(error) => {
                metrics.watchlist_import(WatchlistImport::Refused);
                tracing::warn!(
                    list = name,
                    error = format!("{error:#}"),
                    "list not imported; the version in force stays"
                );
            }
        }
    }
}

/// The files of a list's subdirectory, by name: its regular files, less hidden ones and those
/// a copy or download writes before renaming them into place (`*.tmp`, `*.part`, `*~`).
fn list_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".tmp")
            || name.ends_with(".part");
        if !temporary && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn warn_stray(path: &Path) {
    if path.is_file() {
        tracing::warn!(
            file = %path.display(),
            "a file directly in the list directory belongs to no list and is not imported: put \
             each list's files in a subdirectory named after the list"
        );
    }
}
