//! The accept loop: what a client may cost the server before its request reaches a handler.
//!
//! A client that opens connections and sends headers slowly (or never) holds a connection and
//! a task each for as long as it likes; a hundred such clients were still connected after half
//! a minute under `axum::serve`, which sets no timer, so hyper's header-read timeout never
//! fired. Here every connection gets hyper's header-read timeout (which also ends idle
//! keep-alive connections), the body's deadline is enforced by `body_deadline`, and one client
//! address may hold only so many connections at once; further ones are closed on accept.
//! Behind a reverse proxy every connection comes from the proxy's address: raise the cap, or
//! set it to 0 (no cap) and let the proxy limit its clients.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::normalize_path::NormalizePath;

/// What one connection may take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    /// Connections one client address may hold at once; 0: no cap.
    pub per_client: usize,
}

/// Serves `router` on `listener` until `stopped` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    stopped: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let open = OpenConnections::default();
    // The vendor's delete API samples end in a slash (`.../scans/{ref}/`): a path is matched
    // without its trailing slash, so an integration copying them reaches the same route.
    let service = TowerToHyperService::new(NormalizePath::trim_trailing_slash(router));
    tokio::pin!(stopped);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stopped => break,
        };
        let Some(admitted) = open.admit(peer.ip(), limits.per_client) else {
            tracing::warn!("a client holds too many connections: one more was closed");
            continue;
        };
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service.clone())
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = connection.await;
            drop(admitted);
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// Connections per client address.
#[derive(Default, Clone)]
struct OpenConnections(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One admitted connection; it counts until dropped.
struct Admitted {
    open: OpenConnections,
    address: IpAddr,
}

impl OpenConnections {
    fn admit(&self, address: IpAddr, cap: usize) -> Option<Admitted> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(address).or_insert(0);
        if cap > 0 && *count >= cap {
            return None;
        }
        *count += 1;
        Some(Admitted {
            open: self.clone(),
            address,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut counts = self
            .open
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_cap_and_a_slot_back_when_one_closes() {
        let open = OpenConnections::default();
        let client = IpAddr::from([192, 0, 2, 1]);
        let other = IpAddr::from([192, 0, 2, 2]);
        let first = open.admit(client, 2);
        let second = open.admit(client, 2);
        assert!(first.is_some() && second.is_some());
        assert!(
            open.admit(client, 2).is_none(),
            "a third one is over the cap"
        );
        assert!(
            open.admit(other, 2).is_some(),
            "other clients are not affected"
        );
        drop(first);
        assert!(open.admit(client, 2).is_some());
        assert!(open.admit(client, 0).is_some(), "0 means no cap");
    }
}
