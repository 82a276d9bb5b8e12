//! Images that are also something else.

use anyhow::Result;
use reqwest::Method;
use serde_json::json;
use verifyd_testkit::{credential, jpeg, png, text, TestServer};

use crate::healthy;

/// A ZIP archive holding one stored file, `name` with `content`.
fn zip(name: &str, content: &[u8]) -> Vec<u8> {
    let crc = crc32fast::hash(content);
    let size = content.len() as u32;
    let name_length = name.len() as u16;
    let mut local = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    local.extend_from_slice(&crc.to_le_bytes());
    local.extend_from_slice(&size.to_le_bytes());
    local.extend_from_slice(&size.to_le_bytes());
    local.extend_from_slice(&name_length.to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(name.as_bytes());
    local.extend_from_slice(content);
    let mut central = b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    central.extend_from_slice(&crc.to_le_bytes());
    central.extend_from_slice(&size.to_le_bytes());
    central.extend_from_slice(&size.to_le_bytes());
    central.extend_from_slice(&name_length.to_le_bytes());
    central.extend_from_slice(&[0; 12]);
    central.extend_from_slice(&0u32.to_le_bytes());
    central.extend_from_slice(name.as_bytes());
    let mut end = b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00".to_vec();
    end.extend_from_slice(&(central.len() as u32).to_le_bytes());
    end.extend_from_slice(&(local.len() as u32).to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    [local, central, end].concat()
}

#[tokio::test]
async fn an_image_that_is_also_a_zip_or_a_page_is_stored_as_the_image_and_served_unsniffable(
) -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({
            "customerInternalReference": "polyglot",
            "workflowDefinition": {"key": 2, "credentials": [{"category": "ID"}]}
        }))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    let html = b"<html><body><script>document.title='owned'</script></body></html>";
    let picture = jpeg(800, 600, 1);
    let drawing = png(800, 600, 2);
    let cases = [
        (
            "front",
            "FRONT",
            picture.clone(),
            zip("x.html", html),
            "image/jpeg",
            "front.jpg",
        ),
        (
            "back",
            "BACK",
            drawing.clone(),
            html.to_vec(),
            "image/png",
            "back.png",
        ),
    ];
    for (part, classifier, image, tail, media_type, file_name) in cases {
        let polyglot = [image.as_slice(), tail.as_slice()].concat();
        server.upload_part(token, id, part, polyglot).await?;
        let stored = server
            .tenant(
                Method::GET,
                &format!(
                    "/api/v1/accounts/{}/credentials/{}/parts/{classifier}",
                    text(&account, "/account/id")?,
                    text(id, "/id")?
                ),
            )
            .send()
            .await?;
        let headers = stored.headers().clone();
        assert_eq!(headers["content-type"], media_type);
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(
            headers["content-disposition"],
            format!("attachment; filename=\"{file_name}\"").as_str()
        );
        assert!(headers["content-security-policy"]
            .to_str()?
            .contains("sandbox"));
        let served = stored.bytes().await?;
        assert_eq!(
            served.len(),
            image.len(),
            "{classifier}: only the image is kept"
        );
        assert_eq!(served.as_ref(), image.as_slice());
    }
    healthy(&server).await?;
    server.stop().await
}
