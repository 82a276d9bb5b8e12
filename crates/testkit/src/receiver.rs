//! A callback receiver that is a real HTTP server, so that delivery is tested over the network
//! as a customer's endpoint receives it (signatures, retries, statuses).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

/// One received callback: its headers and raw body.
pub type Received = (HeaderMap, Vec<u8>);

/// A real HTTP receiver on loopback that records callbacks and answers with the statuses it is
/// given, in order (then 200).
pub struct Receiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Listens on a free loopback port; callbacks go to [`Receiver::url`].
    pub async fn start(answers: Vec<u16>) -> Result<Self> {
        let received = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
        let (log, script) = (received.clone(), answers.clone());
        let app = axum::Router::new().route(
            "/callback",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let (log, script) = (log.clone(), script.clone());
                async move {
                    log.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push((headers, body.to_vec()));
                    let status = script
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .pop_front()
                        .unwrap_or(200);
                    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/callback", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            url,
            received,
            task,
        })
    }

    /// How many callbacks arrived so far.
    pub fn count(&self) -> usize {
        self.received.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// Every callback so far, in the order they arrived.
    pub fn all(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits (at most 30 s) until `count` callbacks arrived.
    pub async fn wait_for(&self, count: usize) -> Result<()> {
        for _ in 0..300 {
            if self.count() >= count {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        anyhow::bail!("{} callbacks arrived, expected {count}", self.count())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
