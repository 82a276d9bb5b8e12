//! PDFs built to crash or exhaust a parser, uploaded as a DOCUMENT part.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_engine::upload::hostile::{
    pdf_with, pdf_with_compressed_object, pdf_with_object_stream, stored_block_bomb,
};
use verifyd_testkit::{credential, error_json, ok_json, pdf, text, TestServer};

use crate::healthy;

/// An account with a DOCUMENT credential: (api token, the DOCUMENT part's href).
async fn document_part(server: &TestServer) -> Result<(String, String)> {
    let account: Value = server
        .create_account(json!({
            "customerInternalReference": "hardening",
            "workflowDefinition": {"key": 2, "credentials": [{"category": "ID"}, {"category": "DOCUMENT"}]}
        }))
        .await?;
    let token = text(credential(&account, "ID")?, "/api/token")?.to_owned();
    let href = text(credential(&account, "DOCUMENT")?, "/api/parts/document")?.to_owned();
    Ok((token, href))
}

#[tokio::test]
async fn a_pdf_nested_a_thousand_deep_is_refused_and_the_server_keeps_serving() -> Result<()> {
    let server = TestServer::start().await?;
    let (token, href) = document_part(&server).await?;
    for depth in [1_000, 100_000] {
        for (open, close) in [("[", "]"), ("<< /A ", " >>")] {
            let nested = pdf_with(&format!("{}{}", open.repeat(depth), close.repeat(depth)));
            let response = server
                .upload(&token, Method::POST, &href, nested, "nested.pdf")
                .await?;
            let (status, body) = error_json(response).await?;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{depth} {open}: {body}");
            assert_eq!(body["code"], "CORRUPT_FILE", "{body}");
            healthy(&server).await?;
        }
    }
    // A genuine PDF is still accepted afterwards.
    ok_json(
        server
            .upload(&token, Method::POST, &href, pdf(), "proof.pdf")
            .await?,
    )
    .await?;
    server.stop().await
}

/// The memory tests measure one at a time.
static MEASURING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// This process's peak resident memory so far (the server runs in it), in bytes.
fn peak_resident_bytes() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kilobytes = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .ok_or_else(|| anyhow::anyhow!("no VmHWM in /proc/self/status"))?;
    Ok(kilobytes * 1024)
}

/// Uploads `pdf`, requires `400 CORRUPT_FILE` with `reason` in its message, and requires the
/// server's (this process's) peak resident memory to grow by less than 64 MB meanwhile. The
/// peak is reset first (Linux: `clear_refs` 5), under a lock, so no other test's work counts.
async fn refused_within_memory(pdf: Vec<u8>, reason: &str) -> Result<()> {
    let server = TestServer::start().await?;
    let (token, href) = document_part(&server).await?;
    let _measuring = MEASURING.lock().await;
    std::fs::write("/proc/self/clear_refs", "5")?;
    let before = peak_resident_bytes()?;
    let response = server
        .upload(&token, Method::POST, &href, pdf, "hostile.pdf")
        .await?;
    let (status, body) = error_json(response).await?;
    let after = peak_resident_bytes()?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "CORRUPT_FILE", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains(reason)),
        "{body}"
    );
    let grown = after.saturating_sub(before);
    eprintln!(
        "peak resident memory: {} MB before, {} MB after",
        before >> 20,
        after >> 20
    );
    assert!(
        grown < 64 << 20,
        "the server's peak grew by {} MB",
        grown >> 20
    );
    healthy(&server).await?;
    server.stop().await
}

#[tokio::test]
async fn a_stored_block_bomb_is_refused_without_the_servers_memory() -> Result<()> {
    // 1 GB of zeros behind a stored block that says "endstream", in a 1 MB upload: the old
    // parser added 750 MB to the server's peak for one like it.
    let bomb = pdf_with_object_stream(&stored_block_bomb(1 << 30));
    assert!(bomb.len() < 1_200_000, "{}", bomb.len());
    refused_within_memory(bomb, "limit").await
}

#[tokio::test]
async fn a_pdf_whose_objects_would_take_gigabytes_ends_its_child_not_the_server() -> Result<()> {
    // 20 million empty arrays in one array: 60 MB of text, under the inflation limit, that a
    // parser turns into gigabytes of objects. The child's address-space limit stops it.
    let mut arrays = b"[".to_vec();
    arrays.extend(b"[] ".repeat(20_000_000));
    arrays.extend_from_slice(b"]");
    let pdf = pdf_with_compressed_object(&arrays);
    drop(arrays);
    assert!(pdf.len() < 100_000, "{}", pdf.len());
    // The same structure with a small array parses: the refusal is the child's limit.
    let small = verifyd_engine::upload::inspect_pdf(&pdf_with_compressed_object(b"[[] []]"));
    assert!(
        matches!(&small, Err(verifyd_engine::upload::InspectError::Corrupt(m)) if m == "the PDF has no pages"),
        "{small:?}"
    );
    refused_within_memory(pdf, "within the inspection's limits").await
}
