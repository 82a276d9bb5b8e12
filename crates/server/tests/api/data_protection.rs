//! What someone who can read the installation's disks finds of a person, on both backends: the
//! document number and surname verifyd read from the passport, and the bytes of its image.
//! Everything personal is sealed under the account's data key, so none of them is on disk in
//! clear while the account lives; deleting the account destroys the key first, and they are
//! not there afterwards either. Each test first shows that its search does see the files: a
//! marker the server stores in clear (the customer's internal reference, not personal data) is
//! found where the records are.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::json;
use sqlx::{Connection, PgConnection, Row};
use verifyd_testkit::*;

/// The files among `files` whose bytes contain `needle`.
fn holding(files: &[PathBuf], needle: &[u8]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in files {
        // A file removed meanwhile (a WAL segment recycled, a volume compacted) holds nothing.
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        if bytes.windows(needle.len()).any(|window| window == needle) {
            found.push(path.clone());
        }
    }
    Ok(found)
}

/// What one run puts on disk: the marker, and the personal data that must never be there.
struct Person {
    marker: String,
    needles: Vec<(String, Vec<u8>)>,
    account: String,
}

/// A passport whose holder this run alone has: a random seed (the data files of the shared
/// PostgreSQL server keep earlier runs' pages and log segments), issued by a supported country,
/// with a surname and number long enough that finding them by chance is out of the question.
fn unique_passport() -> Result<verifyd_engine::documents::synthetic::Specimen> {
    let mut seed = [0u8; 4];
    verifyd_domain::random::Random::fill(&verifyd_server::random::OsRandom, &mut seed);
    let base = u32::from_le_bytes(seed);
    for offset in 0..64 {
        let passport = passport_bearing_seeded("obama2.jpg", base.wrapping_add(offset))?;
        // The issuing state (positions 3-5 of the first line) must be one the catalogue
        // supports, or the passport is refused before its data is read.
        let issuer = passport.mrz.get(2..5).unwrap_or_default();
        if passport.surname.len() >= 6
            && passport.document_number.len() >= 8
            && verifyd_domain::catalogue::is_country(issuer)
        {
            return Ok(passport);
        }
    }
    anyhow::bail!("no seed from {base} gave a surname of 6 letters")
}

/// An account whose passport (rendered around a real face) is processed to the end; its
/// extraction, read back over the API, holds the document number and surname.
async fn processed_person(server: &TestServer) -> Result<Person> {
    let passport = unique_passport()?;
    let front = encode_jpeg(passport.image.clone());
    let marker = format!("grep-marker-{}", std::process::id());
    // The end user's IP address (their consent's), this run's own.
    let mut random = [0u8; 4];
    verifyd_domain::random::Random::fill(&verifyd_server::random::OsRandom, &mut random);
    let ip = format!(
        "2001:db8:{:x}:{:x}::7",
        u16::from_le_bytes([random[0], random[1]]) | 0x1000,
        u16::from_le_bytes([random[2], random[3]]) | 0x1000
    );
    let body = json!({
        "customerInternalReference": marker,
        "workflowDefinition": {"key": 2},
        "userConsent": {"userIp": ip, "userLocation": {"country": "DEU"}}
    });
    let (account, token, execution) = server.id_with_front(body, front.clone()).await?;
    server.finalize(&token, &execution).await?;
    wait_for_status(server, &format!("{execution}/status"), "PROCESSED").await?;
    let details = ok_json(server.tenant(Method::GET, &execution).send().await?).await?;
    let shown = details.to_string();
    for value in [&passport.document_number, &passport.surname] {
        anyhow::ensure!(
            shown.contains(value.as_str()),
            "the extraction shows {value}: {shown}"
        );
    }
    let image_slice = front
        .get(front.len() / 2..front.len() / 2 + 64)
        .context("a short image")?
        .to_vec();
    Ok(Person {
        marker,
        needles: vec![
            (
                "the document number".to_owned(),
                passport.document_number.as_bytes().to_vec(),
            ),
            (
                "the surname".to_owned(),
                passport.surname.as_bytes().to_vec(),
            ),
            ("the image's bytes".to_owned(), image_slice),
            ("the user's IP address".to_owned(), ip.into_bytes()),
        ],
        account: text(&account, "/account/id")?.to_owned(),
    })
}

fn assert_nowhere(person: &Person, files: &[PathBuf], when: &str) -> Result<()> {
    for (what, needle) in &person.needles {
        let found = holding(files, needle)?;
        assert!(found.is_empty(), "{what} is in clear {when}: {found:?}");
    }
    Ok(())
}

async fn delete_account(server: &TestServer, account: &str) -> Result<()> {
    ok_json(
        server
            .tenant(Method::DELETE, &format!("/api/v1/accounts/{account}"))
            .send()
            .await?,
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn sqlite_and_files_hold_nothing_personal_in_clear_before_or_after_deletion() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let person = processed_person(&server).await?;
    let files = || files_below(&server.settings.data_dir);
    assert!(
        !holding(&files(), person.marker.as_bytes())?.is_empty(),
        "the search sees the database's files"
    );
    assert_nowhere(&person, &files(), "while the account lives")?;

    delete_account(&server, &person.account).await?;
    assert_nowhere(&person, &files(), "after the deletion")?;
    assert!(
        holding(&files(), person.marker.as_bytes())?.is_empty(),
        "the deleted execution's row is overwritten, not left in free pages or the log"
    );
    server.stop().await
}

/// The files of one PostgreSQL database and the server's write-ahead log, after a checkpoint
/// wrote every page to disk.
async fn postgres_files(url: &str) -> Result<Vec<PathBuf>> {
    let mut connection = PgConnection::connect(url).await?;
    sqlx::query("CHECKPOINT").execute(&mut connection).await?;
    let data: String = sqlx::query("SHOW data_directory")
        .fetch_one(&mut connection)
        .await?
        .try_get(0)?;
    let oid: i64 =
        sqlx::query("SELECT oid::bigint FROM pg_database WHERE datname = current_database()")
            .fetch_one(&mut connection)
            .await?
            .try_get(0)?;
    connection.close().await?;
    let data = Path::new(&data);
    let database = data.join("base").join(oid.to_string());
    std::fs::read_dir(&database).with_context(|| {
        format!(
            "this test reads PostgreSQL's files ({}): run it as a user who may",
            database.display()
        )
    })?;
    let mut files = files_below(&database);
    files.extend(files_below(&data.join("pg_wal")));
    Ok(files)
}

#[tokio::test]
async fn postgresql_and_s3_hold_nothing_personal_in_clear_before_or_after_deletion() -> Result<()> {
    let database = ScratchPostgres::create()?;
    let store = SeaweedFs::start().await?;
    let port = free_port()?;
    let mut configured = Ok(());
    let server = TestServer::start_with(|settings| {
        settings.processing.workers = 1;
        configured = on_shared_backends(settings, &database, &store, "protection", port);
    })
    .await?;
    configured?;
    let person = processed_person(&server).await?;
    let files = || async {
        let mut files = postgres_files(&database.url()).await?;
        files.extend(files_below(store.data_dir()));
        anyhow::Ok(files)
    };
    let before = files().await?;
    assert!(
        !holding(&before, person.marker.as_bytes())?.is_empty(),
        "the search sees the database's files"
    );
    assert_nowhere(&person, &before, "while the account lives")?;

    delete_account(&server, &person.account).await?;
    assert_nowhere(&person, &files().await?, "after the deletion")?;
    server.stop().await
}
