//! Clients that send slowly or hold many connections.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use verifyd_testkit::{credential, text, TestServer, USER_AGENT};

use crate::healthy;

/// Reads until the server closes the connection (or `limit` passes): what it sent, and when.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> Result<(String, Instant)> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => anyhow::bail!(
                "still open after {limit:?}; received {:?}",
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Ok((
                    String::from_utf8_lossy(&received).into_owned(),
                    Instant::now(),
                ))
            }
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
        }
    }
}

#[tokio::test]
async fn half_sent_headers_are_cut_off_at_the_header_timeout() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        settings.limits.header_read_timeout_ms = 500;
    })
    .await?;
    let address = server.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(&address).await?;
        stream
            .write_all(b"POST /api/v1/accounts HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow")
            .await?;
        slow.push(stream);
    }
    // The server answers others while the slow clients wait.
    healthy(&server).await?;
    for stream in &mut slow {
        let (_, closed) = until_closed(stream, Duration::from_secs(5)).await?;
        assert!(
            closed.duration_since(started) >= Duration::from_millis(450),
            "closed before the timeout"
        );
    }
    healthy(&server).await?;
    server.stop().await
}

#[tokio::test]
async fn an_upload_trickled_byte_by_byte_is_answered_408_at_the_body_deadline() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        settings.limits.body_read_timeout_ms = 1_000;
    })
    .await?;
    let account = server
        .create_account(json!({
            "customerInternalReference": "slow",
            "workflowDefinition": {"key": 2, "credentials": [{"category": "ID"}]}
        }))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    let front = text(id, "/api/parts/front")?;
    let path = front
        .strip_prefix(&server.base)
        .context("the part href is on the server")?;
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {USER_AGENT}\r\n\
         Authorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000\r\n\r\n\
         --XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"front.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n\u{ff}"
    );
    stream.write_all(head.as_bytes()).await?;
    let started = Instant::now();
    // One byte every 200 ms: a minute's upload of 100 kB would take five and a half hours.
    let trickle = async {
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if stream.write_all(&[0x42]).await.is_err() {
                break;
            }
        }
    };
    let (_, health) = tokio::join!(trickle, async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        healthy(&server).await
    });
    health?;
    let (answer, closed) = until_closed(&mut stream, Duration::from_secs(5)).await?;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    let took = closed.duration_since(started);
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "{took:?}"
    );
    healthy(&server).await?;
    server.stop().await
}

#[tokio::test]
async fn one_client_address_may_hold_only_so_many_connections() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        settings.limits.max_connections_per_client = 3;
    })
    .await?;
    let address = server.base.trim_start_matches("http://").to_owned();
    // No pooled connection of the harness's client may count against the cap.
    let fresh = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .pool_max_idle_per_host(0)
        .build()?;
    let health = server.url("/health");
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(&address).await?);
    }
    let mut over = TcpStream::connect(&address).await?;
    let (answer, _) = until_closed(&mut over, Duration::from_secs(2)).await?;
    assert!(answer.is_empty(), "{answer}");
    assert!(
        fresh.get(&health).send().await.is_err(),
        "a fourth connection was served"
    );
    held.pop();
    // The slot is given back once the server sees the connection closed.
    let mut answered = false;
    for _ in 0..50 {
        if let Ok(response) = fresh.get(&health).send().await {
            answered = response.status().is_success();
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answered, "no slot came free");
    drop(held);
    server.stop().await
}
