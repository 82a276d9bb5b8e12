//! Answers given before the request's body was read: the client must learn that the connection
//! ends with them, or a client that keeps connections alive writes its next request into a
//! closed socket (EPIPE in Node).

use std::time::Duration;

use anyhow::{Context, Result};
use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use verifyd_testkit::{TestServer, USER_AGENT};

/// One answer read off a kept-alive connection: its head (lowercased) and body.
async fn answer(stream: &mut TcpStream) -> Result<(String, Vec<u8>)> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .context("no answer")??;
        anyhow::ensure!(read > 0, "closed before an answer");
        received.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .context("no content-length")?;
    while received.len() < head_end + length {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .context("the body did not come")??;
        anyhow::ensure!(read > 0, "closed within the body");
        received.extend_from_slice(&buffer[..read]);
    }
    Ok((head, received[head_end..head_end + length].to_vec()))
}

fn post(path: &str, length: usize, extra: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {USER_AGENT}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n{extra}\r\n"
    )
}

#[tokio::test]
async fn an_answer_before_the_body_is_read_says_the_connection_closes() -> Result<()> {
    let server = TestServer::start().await?;
    let address = server.base.trim_start_matches("http://").to_owned();

    // 8 MB announced, 64 KiB sent, no credentials: refused before the body is read.
    let mut stream = TcpStream::connect(&address).await?;
    stream
        .write_all(post("/api/v1/screening/searches", 8_000_000, "").as_bytes())
        .await?;
    stream.write_all(&[b' '; 65_536]).await?;
    let (head, _) = answer(&mut stream).await?;
    assert!(head.starts_with("http/1.1 401"), "{head}");
    assert!(head.contains("\r\nconnection: close\r\n"), "{head}");

    // A body read whole keeps the connection, refused or not: the next request on it is
    // answered.
    let mut stream = TcpStream::connect(&address).await?;
    let body = br#"{"name": ""}"#;
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        server.tenant.client_id, server.tenant.client_secret
    ));
    stream
        .write_all(
            post(
                "/api/v1/screening/searches",
                body.len(),
                &format!("Authorization: Basic {credentials}\r\n"),
            )
            .as_bytes(),
        )
        .await?;
    stream.write_all(body).await?;
    let (head, _) = answer(&mut stream).await?;
    assert!(
        head.starts_with("http/1.1 409"),
        "no list is loaded: {head}"
    );
    assert!(!head.contains("connection: close"), "{head}");
    stream
        .write_all(
            format!("GET /health HTTP/1.1\r\nHost: localhost\r\nUser-Agent: {USER_AGENT}\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let (head, _) = answer(&mut stream).await?;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    server.stop().await
}
