//! Everything verifyd does off the request path, started and stopped in one place: the
//! processing workers (jobs, and expiry when idle), the callback deliverer, the purging of
//! interrupted blob deletions, and the watched list directory. One stop signal reaches every loop; each finishes the job or
//! attempt in hand, then returns, and `stop` waits for all of them.

mod delivery;
mod processing;
mod purging;
mod watchlists;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use verifyd_domain::analysers::Analysers;
use verifyd_domain::Verifyd;

use crate::callbacks::MasterKey;
use crate::config::Settings;
use crate::links::Links;
use crate::telemetry::Metrics;

pub use watchlists::WatchedDir;

/// Which loops a process runs.
#[derive(Debug, Clone, Copy)]
pub struct Loops {
    /// Processing workers; with at least one, a callback deliverer runs too.
    pub workers: usize,
    /// Whether this process purges interrupted blob deletions (`verifyd serve` does).
    pub purging: bool,
}

/// The running loops and the signal that stops them.
pub struct Background {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Background {
    /// Starts `loops`, with `analysers` for the workers; hrefs in callbacks start with
    /// `base_url`. Jobs and callback attempts are counted in `metrics`.
    pub fn spawn(
        verifyd: &Arc<Verifyd>,
        settings: &Settings,
        loops: Loops,
        analysers: Analysers,
        base_url: &str,
        key: MasterKey,
        metrics: &Arc<Metrics>,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let mut handles: Vec<JoinHandle<()>> = (0..loops.workers)
            .map(|_| {
                tokio::spawn(processing::work(
                    verifyd.clone(),
                    analysers.clone(),
                    settings.processing.clone(),
                    metrics.clone(),
                    stopped.clone(),
                ))
            })
            .collect();
        if loops.workers > 0 {
            handles.push(tokio::spawn(delivery::deliver(
                verifyd.clone(),
                Arc::new(Links::new(base_url)),
                key,
                settings.allow_local_urls,
                Duration::from_millis(settings.processing.poll_interval_ms),
                metrics.clone(),
                stopped.clone(),
            )));
        }
        if loops.purging {
            handles.push(tokio::spawn(purging::purge(verifyd.clone(), stopped)));
        }
        Self { stop, handles }
    }

    /// Adds the loop that imports the lists of the watched directory (`verifyd serve`).
    pub fn watch_lists(&mut self, dir: WatchedDir, verifyd: &Arc<Verifyd>, metrics: &Arc<Metrics>) {
        self.handles.push(tokio::spawn(dir.run(
            verifyd.clone(),
            metrics.clone(),
            self.stop.subscribe(),
        )));
    }

    /// Lets each loop finish what it has in hand, then waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for handle in self.handles {
            let _ = handle.await;
        }
    }
}

/// Waits `pause`, or less if `stop` changes meanwhile.
async fn idle(pause: Duration, stop: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = tokio::time::sleep(pause) => {}
        _ = stop.changed() => {}
    }
}
