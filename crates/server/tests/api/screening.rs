//! Watchlist screening through the whole server: the real UN consolidated list imported as
//! `verifyd screening import` does, passports rendered for listed persons through workflow 32
//! (WARNING / ALERT with the match behind `searchResultUrl`), unlisted holders (PASSED / OK),
//! each NOT_EXECUTED label from an input that produces it, and the one-off search API.

use anyhow::{Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

const UN_LIST: &str = "un/UN_consolidated.xml";

fn with_workers() -> impl FnOnce(&mut verifyd_server::Settings) {
    |settings| settings.processing.workers = 1
}

fn holder(surname: &str, given_names: &str, birth: (u16, u8, u8)) -> Result<Holder> {
    Ok(Holder {
        surname: surname.to_owned(),
        given_names: given_names.to_owned(),
        birth_date: MrzDate::new(birth.0, birth.1, birth.2).context("a date")?,
    })
}

/// Workflow 32 with `front` as the ID and a real selfie, processed; its details.
async fn screened(server: &TestServer, front: Vec<u8>) -> Result<Value> {
    screened_in(server, json!({"key": 32}), Some(front)).await
}

/// Workflow 32 whose request gives the screening `additionalProperties`.
async fn screened_with_options(
    server: &TestServer,
    properties: &str,
    front: Vec<u8>,
) -> Result<Value> {
    let definition = json!({"key": 32, "capabilities": {"watchlistScreening": {"additionalProperties": properties}}});
    screened_in(server, definition, Some(front)).await
}

/// The workflow `definition` asks for, with `front` as the ID (none: not uploaded) and a real
/// selfie where it has one, processed; its details.
async fn screened_in(
    server: &TestServer,
    definition: Value,
    front: Option<Vec<u8>>,
) -> Result<Value> {
    let account = server
        .create_account(json!({
            "customerInternalReference": "screening",
            "userReference": "user-32",
            "workflowDefinition": definition,
            "userConsent": consent(),
        }))
        .await?;
    processed(server, &account, front).await
}

/// Uploads `front` as the ID (none: not uploaded) and a real selfie where the execution has
/// one, finalizes, and returns the processed execution's details.
async fn processed(server: &TestServer, account: &Value, front: Option<Vec<u8>>) -> Result<Value> {
    let id = credential(account, "ID")?;
    let token = text(id, "/api/token")?;
    if let Some(front) = front {
        server.upload_part(token, id, "front", front).await?;
    }
    if let Ok(selfie) = credential(account, "SELFIE") {
        server
            .upload_part(token, selfie, "face", encode_jpeg(person("obama.jpg")?))
            .await?;
    }
    let execution = server.url(&format!(
        "/api/v1/accounts/{}/workflow-executions/{}",
        text(account, "/account/id")?,
        text(account, "/workflowExecution/id")?
    ));
    server.finalize(token, &execution).await?;
    wait_for_status(server, &format!("{execution}/status"), "PROCESSED").await?;
    ok_json(server.tenant(Method::GET, &execution).send().await?).await
}

fn screening_of(details: &Value) -> Result<&Value> {
    details["capabilities"]["watchlistScreening"]
        .get(0)
        .with_context(|| format!("no watchlistScreening in {details}"))
}

/// The search report behind `searchResultUrl`, read with the tenant's credentials.
async fn report(server: &TestServer, screening: &Value) -> Result<Value> {
    let url = text(screening, "/data/searchResultUrl")?;
    assert!(
        url.starts_with(&server.base),
        "searchResultUrl is absolute on this server: {url}"
    );
    ok_json(server.tenant(Method::GET, url).send().await?).await
}

fn matched_entries(report: &Value) -> Vec<String> {
    report["matches"]
        .as_array()
        .map(|matches| {
            matches
                .iter()
                .filter_map(|m| m["entryId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn workflow_32_alerts_on_a_listed_holder_with_the_match_behind_the_result_url() -> Result<()>
{
    let server = TestServer::start_with(with_workers()).await?;
    let imported = server.import_watchlist(&[UN_LIST]).await?;
    assert!(
        imported.starts_with("un-consolidated: 1003 entries"),
        "{imported}"
    );

    // UN LYi.023: Ahmad Oumar Imhamad al-Fitouri, born 7 May 1988. As printed, with a typo in a
    // given name, and with the names in the other order (surname field and given names swapped).
    let cases = [
        ("AL FITOURI", "AHMAD OUMAR IMHAMAD"),
        ("AL FITOURI", "AHMED OUMAR IMHAMAD"),
        ("AHMAD OUMAR IMHAMAD", "AL FITOURI"),
    ];
    for ((surname, given_names), seed) in cases.into_iter().zip([10, 20, 30]) {
        let holder = holder(surname, given_names, (1988, 5, 7))?;
        let passport = passport_for("obama2.jpg", &holder, seed)?;
        let details = screened(&server, encode_jpeg(passport.image)).await?;
        let extraction = &details["capabilities"]["extraction"][0];
        assert_eq!(
            decision_of(extraction),
            pair("PASSED", "OK"),
            "{surname} / {given_names}: {}",
            details["capabilities"]
        );
        let screening = screening_of(&details)?;
        assert_eq!(
            decision_of(screening),
            pair("WARNING", "ALERT"),
            "{surname} / {given_names}: {screening}"
        );
        let data = &screening["data"];
        assert_eq!(data["searchStatus"], json!("DONE"));
        assert!(data["searchResults"].as_u64().is_some_and(|n| n >= 1));
        assert!(data["searchDate"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z')));
        assert!(data["searchReference"].as_str().is_some());
        let report = report(&server, screening).await?;
        assert_eq!(report["searchResults"], data["searchResults"]);
        assert_eq!(text(&report, "/id")?, text(data, "/searchId")?);
        assert!(
            matched_entries(&report).contains(&"LYi.023".to_owned()),
            "{surname} / {given_names}: {report}"
        );
        assert_eq!(report["lists"][0]["name"], json!("un-consolidated"));
        let listed = report["matches"]
            .as_array()
            .and_then(|all| all.iter().find(|m| m["entryId"] == json!("LYi.023")))
            .context("the entry")?;
        assert!(listed["score"]
            .as_f64()
            .is_some_and(|s| s > 0.8 && s <= 1.0));
        assert!(
            listed["reasons"].to_string().contains("DateOfBirthMatches"),
            "the document's date of birth counts: {listed}"
        );
    }

    // Another tenant does not see the search.
    let other = server.other_tenant("other").await?;
    let url = format!("{}/api/v1/screening/searches/{}", server.base, {
        let holder = holder("AL FITOURI", "AHMAD", (1988, 5, 7))?;
        let passport = passport_for("obama2.jpg", &holder, 40)?;
        let details = screened(&server, encode_jpeg(passport.image)).await?;
        text(screening_of(&details)?, "/data/searchId")?.to_owned()
    });
    let foreign = server.as_client(&other, Method::GET, &url).send().await?;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    server.stop().await
}

#[tokio::test]
async fn workflow_32_passes_an_unlisted_holder_and_says_why_it_could_not_screen() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    let unlisted = |seed| -> Result<Vec<u8>> {
        Ok(encode_jpeg(
            passport_bearing_seeded("obama2.jpg", seed)?.image,
        ))
    };

    // No list loaded: the tenant's screening cannot run as set up.
    let details = screened(&server, unlisted(60)?).await?;
    let screening = screening_of(&details)?;
    assert_eq!(
        decision_of(screening),
        pair("NOT_EXECUTED", "INVALID_MERCHANT_SETTINGS")
    );
    assert_eq!(screening["data"]["searchStatus"], json!("NOT_DONE"));

    server.import_watchlist(&[UN_LIST]).await?;
    let details = screened(&server, unlisted(70)?).await?;
    let screening = screening_of(&details)?;
    assert_eq!(decision_of(screening), pair("PASSED", "OK"), "{screening}");
    assert_eq!(screening["data"]["searchResults"], json!(0));
    assert_eq!(report(&server, screening).await?["matches"], json!([]));

    // A holder whose only name is a title: nothing to search.
    let titled = passport_for("obama2.jpg", &holder("MR", "", (1970, 1, 1))?, 50)?;
    let details = screened(&server, encode_jpeg(titled.image)).await?;
    let extraction = &details["capabilities"]["extraction"][0];
    assert_eq!(
        decision_of(extraction),
        pair("PASSED", "OK"),
        "{extraction}"
    );
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("NOT_EXECUTED", "NOT_ENOUGH_DATA")
    );

    // No document on the ID's image: nothing was extracted to screen.
    let details = screened(&server, jpeg(1000, 640, 1)).await?;
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("NOT_EXECUTED", "PRECONDITION_NOT_FULFILLED")
    );

    // A usable page whose data verifyd cannot read (a passport without its machine-readable
    // zone): the extraction was not done.
    let page = passport_bearing_seeded("obama2.jpg", 90)?.image;
    let without_mrz =
        image::imageops::crop_imm(&page, 0, 0, page.width(), page.height() * 7 / 10).to_image();
    let details = screened(&server, encode_jpeg(without_mrz)).await?;
    assert_eq!(
        decision_of(&details["capabilities"]["usability"][0]),
        pair("PASSED", "OK"),
        "{}",
        details["capabilities"]
    );
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("NOT_EXECUTED", "EXTRACTION_NOT_DONE")
    );

    // Only the selfie uploaded: there is no ID to screen.
    let details = screened_in(&server, json!({"key": 32}), None).await?;
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("NOT_EXECUTED", "NO_VALID_ID_CREDENTIAL")
    );

    // Options the step cannot read, and a profile the tenant does not have.
    for ((properties, label), seed) in [
        ("{not json", "VALIDATION_FAILED"),
        (r#"{"fuzziness": 2}"#, "VALIDATION_FAILED"),
        ("no-such-profile", "INVALID_MERCHANT_SETTINGS"),
    ]
    .into_iter()
    .zip([80, 82, 84])
    {
        let details = screened_with_options(&server, properties, unlisted(seed)?).await?;
        let screening = screening_of(&details)?;
        assert_eq!(
            decision_of(screening),
            pair("NOT_EXECUTED", label),
            "{properties}"
        );
        assert_eq!(screening["data"], json!({"searchStatus": "NOT_DONE"}));
    }
    server.stop().await
}

#[tokio::test]
async fn a_request_chooses_a_named_search_profile_and_workflow_2_screens_on_request() -> Result<()>
{
    use verifyd_server::admin::{tenant_screening, ScreeningProfileChange};
    let server = TestServer::start_with(with_workers()).await?;
    server.import_watchlist(&[UN_LIST]).await?;
    let sample = screening_data()?.join("ofac-sample");
    let files: Vec<String> = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
        .iter()
        .map(|file| sample.join(file).display().to_string())
        .collect();
    server
        .import_watchlist(&files.iter().map(String::as_str).collect::<Vec<_>>())
        .await?;
    tenant_screening(
        &server.settings,
        "acme",
        ScreeningProfileChange {
            profile: Some("sanctions-only".to_owned()),
            remove: false,
            lists: Some("ofac-sdn".to_owned()),
            threshold: None,
            search_status: None,
            monitoring: None,
        },
    )
    .await?;
    let listed = |seed| -> Result<Vec<u8>> {
        let holder = holder("AL FITOURI", "AHMAD OUMAR IMHAMAD", (1988, 5, 7))?;
        Ok(encode_jpeg(
            passport_for("obama2.jpg", &holder, seed)?.image,
        ))
    };

    // The UN-listed holder, screened with the OFAC-only profile (as JSON and as a bare name)
    // and with the default profile (every list).
    for ((properties, expected, lists), seed) in [
        (
            r#"{"searchProfile": "sanctions-only"}"#,
            pair("PASSED", "OK"),
            1,
        ),
        ("sanctions-only", pair("PASSED", "OK"), 1),
        ("", pair("WARNING", "ALERT"), 2),
    ]
    .into_iter()
    .zip([130, 140, 150])
    {
        let details = screened_with_options(&server, properties, listed(seed)?).await?;
        let screening = screening_of(&details)?;
        assert_eq!(
            decision_of(screening),
            expected,
            "{properties}: {screening}"
        );
        let searched = report(&server, screening).await?;
        assert_eq!(
            searched["lists"].as_array().map(Vec::len),
            Some(lists),
            "{properties}"
        );
    }

    // Workflow 2 screens when the request asks (the guide's example), and only then.
    let asked = json!({"key": 2, "capabilities": {"watchlistScreening": {}}});
    let details = screened_in(&server, asked, Some(listed(210)?)).await?;
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("WARNING", "ALERT")
    );
    let details = screened_in(&server, json!({"key": 2}), Some(listed(220)?)).await?;
    assert!(
        details["capabilities"].get("watchlistScreening").is_none(),
        "{}",
        details["capabilities"]
    );

    // The one-off search takes a profile too; an unknown one is named.
    let search = |body: Value| {
        server
            .tenant(Method::POST, "/api/v1/screening/searches")
            .json(&body)
            .send()
    };
    let everywhere = ok_json(search(json!({"name": "Tariq Aziz"})).await?).await?;
    assert!(matched_entries(&everywhere).contains(&"IQi.025".to_owned()));
    let ofac_only =
        ok_json(search(json!({"name": "Tariq Aziz", "searchProfile": "sanctions-only"})).await?)
            .await?;
    assert!(
        !matched_entries(&ofac_only).contains(&"IQi.025".to_owned()),
        "{ofac_only}"
    );
    let (status, error) =
        error_json(search(json!({"name": "Tariq Aziz", "searchProfile": "pep"})).await?).await?;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the tenant's settings lack it"
    );
    assert!(error.to_string().contains("searchProfile"), "{error}");
    server.stop().await
}

#[tokio::test]
async fn a_reviewed_false_positive_is_not_reported_again_for_the_account() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    server.import_watchlist(&[UN_LIST]).await?;
    let holder = holder("AL FITOURI", "AHMAD OUMAR IMHAMAD", (1988, 5, 7))?;
    let front = |seed| -> Result<Vec<u8>> {
        Ok(encode_jpeg(
            passport_for("obama2.jpg", &holder, seed)?.image,
        ))
    };
    // The first execution of an account alerts on LYi.023.
    let account = server
        .create_account(json!({
            "customerInternalReference": "screening",
            "userReference": "user-32",
            "workflowDefinition": {"key": 32},
            "userConsent": consent(),
        }))
        .await?;
    let account_id = text(&account, "/account/id")?.to_owned();
    let first = processed(&server, &account, Some(front(300)?)).await?;
    let screening = screening_of(&first)?.clone();
    assert_eq!(decision_of(&screening), pair("WARNING", "ALERT"));
    let search_id = text(&screening, "/data/searchId")?.to_owned();
    let searched = report(&server, &screening).await?;
    assert!(searched["matches"]
        .as_array()
        .is_some_and(|all| all.iter().all(|m| m["entryVersion"].as_str().is_some())));

    // The compliance officer finds every match to be another person.
    let reviews = format!("/api/v1/screening/searches/{search_id}/reviews");
    for found in searched["matches"].as_array().context("matches")? {
        let reviewed = server
            .tenant(Method::POST, &reviews)
            .json(&json!({"list": found["list"], "entryId": found["entryId"]}))
            .send()
            .await?;
        assert_eq!(reviewed.status(), StatusCode::CREATED);
        let reviewed: Value = reviewed.json().await?;
        assert_eq!(reviewed["accountId"], json!(account_id));
        assert_eq!(reviewed["entryVersion"], found["entryVersion"]);
    }
    let (status, error) = error_json(
        server
            .tenant(Method::POST, &reviews)
            .json(&json!({"list": "un-consolidated", "entryId": "QDi.999"}))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let other = server.other_tenant("other").await?;
    let foreign = server
        .as_client(&other, Method::POST, &reviews)
        .json(&json!({"list": "un-consolidated", "entryId": "LYi.023"}))
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);

    // The same person verified again on the same account: nothing to report, and the report
    // says what it set aside.
    let again = server
        .tenant(Method::PUT, &format!("/api/v1/accounts/{account_id}"))
        .json(&json!({"customerInternalReference": "screening", "workflowDefinition": {"key": 32}, "userReference": "user-32", "userConsent": consent()}))
        .send()
        .await?;
    let again = ok_json(again).await?;
    let second = processed(&server, &again, Some(front(310)?)).await?;
    let screening = screening_of(&second)?;
    assert_eq!(decision_of(screening), pair("PASSED", "OK"), "{screening}");
    let searched = report(&server, screening).await?;
    assert!(
        searched["reviewed"]
            .to_string()
            .contains("\"entryId\":\"LYi.023\""),
        "{searched}"
    );

    // Another account of the same person is still alerted: a review is per account.
    let third = screened(&server, front(320)?).await?;
    assert_eq!(decision_of(screening_of(&third)?), pair("WARNING", "ALERT"));

    // A one-off search has no account to remember a review for.
    let one_off = ok_json(
        server
            .tenant(Method::POST, "/api/v1/screening/searches")
            .json(&json!({"name": "Ahmad Oumar Imhamad al-Fitouri"}))
            .send()
            .await?,
    )
    .await?;
    let refused = server
        .tenant(
            Method::POST,
            &format!(
                "/api/v1/screening/searches/{}/reviews",
                text(&one_off, "/id")?
            ),
        )
        .json(&json!({"list": "un-consolidated", "entryId": "LYi.023"}))
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    server.stop().await
}

#[tokio::test]
async fn a_one_off_search_finds_a_listed_person_in_any_script_and_refuses_no_name() -> Result<()> {
    let server = TestServer::start().await?;
    let search = |body: Value| {
        server
            .tenant(Method::POST, "/api/v1/screening/searches")
            .json(&body)
            .send()
    };
    let refused = search(json!({"name": "Tariq Aziz"})).await?;
    assert_eq!(
        refused.status(),
        StatusCode::CONFLICT,
        "no list is loaded yet"
    );

    server.import_watchlist(&[UN_LIST]).await?;
    // UN IQi.025: Tariq Aziz, born 1 July 1936, طارق عزيز in the list's original script.
    for name in ["Tariq Aziz", "AZIZ, Tariq", "Tareq Aziz", "طارق عزيز"] {
        let found =
            ok_json(search(json!({"name": name, "dateOfBirth": "1936-07-01"})).await?).await?;
        assert!(
            matched_entries(&found).contains(&"IQi.025".to_owned()),
            "{name}: {found}"
        );
        // The search is kept: its report reads back the same.
        let again = ok_json(
            server
                .tenant(
                    Method::GET,
                    &format!("/api/v1/screening/searches/{}", text(&found, "/id")?),
                )
                .send()
                .await?,
        )
        .await?;
        assert_eq!(again, found);
    }
    let unlisted = ok_json(search(json!({"name": "Margarethe Vestergaard"})).await?).await?;
    assert_eq!(unlisted["searchResults"], json!(0));

    for name in ["", "   ", "Mr.", "\u{0}\u{1}"] {
        let (status, error) = error_json(search(json!({"name": name})).await?).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name:?}: {error}");
        assert_eq!(error["code"], json!("INVALID_FIELD"));
    }
    let long = "A".repeat(10_000);
    let (status, _) = error_json(search(json!({"name": long})).await?).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, error) =
        error_json(search(json!({"name": "Tariq Aziz", "dateOfBirth": "July"})).await?).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("dateOfBirth"), "{error}");
    server.stop().await
}

#[tokio::test]
async fn the_tenants_screening_profile_chooses_the_lists_threshold_and_status_value() -> Result<()>
{
    use verifyd_server::admin::{tenant_screening, ScreeningProfileChange};
    let server = TestServer::start_with(with_workers()).await?;
    server.import_watchlist(&[UN_LIST]).await?;
    let listed = |seed| -> Result<Vec<u8>> {
        let holder = holder("AL FITOURI", "AHMAD OUMAR IMHAMAD", (1988, 5, 7))?;
        Ok(encode_jpeg(
            passport_for("obama2.jpg", &holder, seed)?.image,
        ))
    };
    let change = |lists: Option<&str>, threshold: Option<f64>, status: Option<&str>| {
        ScreeningProfileChange {
            profile: None,
            remove: false,
            lists: lists.map(str::to_owned),
            threshold,
            search_status: status.map(str::to_owned),
            monitoring: None,
        }
    };

    // A profile naming a list that is not loaded: the tenant's settings are wrong.
    let profile = tenant_screening(
        &server.settings,
        "acme",
        change(Some("ofac-sdn"), None, None),
    )
    .await?;
    assert_eq!(profile["lists"], json!(["ofac-sdn"]));
    let details = screened(&server, listed(100)?).await?;
    assert_eq!(
        decision_of(screening_of(&details)?),
        pair("NOT_EXECUTED", "INVALID_MERCHANT_SETTINGS")
    );

    // OFAC loaded and the only list screened: the UN-listed holder is not on it.
    let sample = screening_data()?.join("ofac-sample");
    let files: Vec<String> = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
        .iter()
        .map(|file| sample.join(file).display().to_string())
        .collect();
    server
        .import_watchlist(&files.iter().map(String::as_str).collect::<Vec<_>>())
        .await?;
    let details = screened(&server, listed(110)?).await?;
    let screening = screening_of(&details)?;
    assert_eq!(decision_of(screening), pair("PASSED", "OK"), "{screening}");
    let searched = report(&server, screening).await?;
    assert_eq!(searched["lists"].as_array().map(Vec::len), Some(1));
    assert_eq!(searched["lists"][0]["name"], json!("ofac-sdn"));

    // Every list again, reported as the vendor's live service does.
    tenant_screening(
        &server.settings,
        "acme",
        change(Some("all"), None, Some("SUCCESS")),
    )
    .await?;
    let details = screened(&server, listed(120)?).await?;
    let screening = screening_of(&details)?;
    assert_eq!(
        decision_of(screening),
        pair("WARNING", "ALERT"),
        "{screening}"
    );
    assert_eq!(screening["data"]["searchStatus"], json!("SUCCESS"));

    // A threshold a misspelt name without its date of birth does not reach.
    let search = || {
        server
            .tenant(Method::POST, "/api/v1/screening/searches")
            .json(&json!({"name": "Tareq Aziz"}))
            .send()
    };
    let found = ok_json(search().await?).await?;
    assert!(
        matched_entries(&found).contains(&"IQi.025".to_owned()),
        "{found}"
    );
    tenant_screening(&server.settings, "acme", change(None, Some(0.999), None)).await?;
    let strict = ok_json(search().await?).await?;
    assert_eq!(strict["threshold"], json!(0.999));
    assert!(
        !matched_entries(&strict).contains(&"IQi.025".to_owned()),
        "{strict}"
    );

    let refused = tenant_screening(&server.settings, "acme", change(None, Some(1.5), None)).await;
    assert!(refused.is_err_and(|error| error.to_string().contains("threshold")));
    server.stop().await
}

#[tokio::test]
async fn monitoring_screens_holders_against_what_an_update_adds_and_calls_back_a_new_hit(
) -> Result<()> {
    use verifyd_server::admin::{tenant_callback, tenant_screening, ScreeningProfileChange};
    let server = TestServer::start_with(with_workers()).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let secret = tenant_callback(&server.settings, "acme", Some(&receiver.url))
        .await?
        .callback_secret;
    server
        .import_watchlist(&["ofac-2024-05/sdn-2024-05-01.csv"])
        .await?;
    let monitoring_on = ScreeningProfileChange {
        monitoring: Some(true),
        ..ScreeningProfileChange::default()
    };
    tenant_screening(&server.settings, "acme", monitoring_on).await?;

    // OFAC 48325, MOUKALLED, Firas Hasan (born 9 Oct 1990), was listed on 3 May 2024: on the
    // 1 May list his passport screens clean, as does another holder's.
    let listed_later = holder("MOUKALLED", "FIRAS HASAN", (1990, 10, 9))?;
    let never_listed = holder("VESTERGAARD", "MARGARETHE", (1979, 3, 14))?;
    let mut accounts = Vec::new();
    for (holder, seed) in [(&listed_later, 200), (&never_listed, 210)] {
        let passport = encode_jpeg(passport_for("obama2.jpg", holder, seed)?.image);
        let details = screened(&server, passport).await?;
        let screening = screening_of(&details)?;
        assert_eq!(decision_of(screening), pair("PASSED", "OK"), "{screening}");
        accounts.push(text(&details, "/account/id")?.to_owned());
    }
    receiver.wait_for(2).await?;

    // The update arrives two days later.
    server.clock.advance(chrono::Duration::days(2));
    let imported = server
        .import_watchlist(&["ofac-2024-05/sdn-2024-05-03.csv"])
        .await?;
    assert!(imported.contains("7 added"), "{imported}");
    assert!(
        imported.contains("monitoring: 2 holders of 1 tenants screened again against 7 entries")
            && imported.contains("1 with a new match"),
        "only the 7 added entries are searched, for both holders: {imported}"
    );

    receiver.wait_for(3).await?;
    let (headers, body) = receiver.all().pop().context("the monitoring callback")?;
    let signature = headers
        .get("x-verifyd-signature")
        .context("signature header")?
        .to_str()?;
    assert!(signature_verifies(&secret, signature, &body));
    let callback: Value = serde_json::from_slice(&body)?;
    assert_eq!(
        callback["callbackType"],
        json!("WATCHLIST_SCREENING_MONITORING")
    );
    assert_eq!(callback["account"]["id"], json!(accounts[0]));
    assert!(
        !String::from_utf8_lossy(&body).contains("MOUKALLED"),
        "no personal data in a callback"
    );
    let report = ok_json(
        server
            .tenant(
                Method::GET,
                text(&callback, "/watchlistScreening/searchResultUrl")?,
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        matched_entries(&report),
        vec!["48325".to_owned()],
        "{report}"
    );
    assert_eq!(report["monitoring"]["list"], json!("ofac-sdn"));
    // The hit is listed on the account, after the workflow's own search.
    let listed = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/v1/accounts/{}/screening/searches", accounts[0]),
            )
            .send()
            .await?,
    )
    .await?;
    let searches = listed["searches"].as_array().context("searches")?;
    assert_eq!(searches.len(), 2, "{listed}");
    assert!(searches[0].get("monitoring").is_none());
    assert_eq!(searches[1], report);
    let other = server.other_tenant("other").await?;
    let foreign = server
        .as_client(
            &other,
            Method::GET,
            &format!("/api/v1/accounts/{}/screening/searches", accounts[0]),
        )
        .send()
        .await?;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);

    // The same list again changes nothing: no version is stored, nobody is searched, nothing
    // is called back.
    let again = server
        .import_watchlist(&["ofac-2024-05/sdn-2024-05-03.csv"])
        .await?;
    assert!(
        again.starts_with("ofac-sdn: unchanged") && !again.contains("with a new match"),
        "{again}"
    );
    server.stop().await
}
