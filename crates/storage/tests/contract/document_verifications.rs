//! Document Verification transactions: read back as stored, pages added and replaced while
//! acquiring only, leased by one worker at a time, completed once with their callback, and
//! deleted with their pages; found by their web client link's token hash, with the link ended
//! and the source changed by the upload that says so.

use uuid::Uuid;
use verifyd_domain::model::DocumentSource;
use verifyd_domain::model::{
    ClientColors, DocumentExtraction, DocumentPage, DocumentRequest, DocumentStage, DocumentStatus,
    DocumentType, DocumentVerification, DocumentWebSettings, InitiationToken, MediaType,
    StoredPageImage,
};
use verifyd_domain::repository::{NewCallback, PagesOutcome, PagesStamp, Repository};

use super::fixtures::{add_tenant, at, callback_id, lease, Outcome, MINUTE};

fn verification(tenant: Uuid, n: u128, seconds: i64) -> DocumentVerification {
    DocumentVerification {
        id: Uuid::from_u128(0xd0c << 64 | n),
        tenant_id: tenant,
        source: DocumentSource::DocApi,
        request: DocumentRequest {
            document_type: DocumentType::Ub,
            country: Some("USA".to_owned()),
            merchant_scan_reference: format!("scan-{n}"),
            customer_id: "customer".to_owned(),
            merchant_reporting_criteria: Some("report".to_owned()),
            callback_url: Some("https://example.com/callback".to_owned()),
            enable_extraction: true,
            custom_document_code: None,
            client_ip: None,
            web: DocumentWebSettings::default(),
        },
        stage: DocumentStage::Acquiring,
        original_blob: None,
        extraction: None,
        initiation_token: None,
        created_at: at(seconds),
        updated_at: at(seconds),
    }
}

/// An upload through the API at `seconds` that leaves the link alone.
fn api(seconds: i64) -> PagesStamp {
    PagesStamp {
        at: at(seconds),
        source: DocumentSource::DocApi,
        link_expires_at: None,
    }
}

fn page(number: u32, key: &str) -> DocumentPage {
    DocumentPage {
        number,
        image: Some(StoredPageImage {
            media_type: MediaType::Jpeg,
            blob_key: key.to_owned(),
        }),
        text_layer: None,
    }
}

pub async fn a_document_verification_is_acquired_leased_and_completed_once(
    repo: &dyn Repository,
) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let first = verification(tenant, 1, 0);
    let second = verification(tenant, 2, 10);
    repo.insert_document_verification(&first).await?;
    repo.insert_document_verification(&second).await?;
    assert_eq!(
        repo.document_verification(first.id).await?,
        Some(first.clone())
    );

    let stored = repo
        .put_document_pages(
            first.id,
            &[page(1, "a"), page(2, "b")],
            None,
            false,
            &api(MINUTE),
        )
        .await?;
    assert_eq!(stored, PagesOutcome::Stored { replaced: vec![] });
    let stored = repo
        .put_document_pages(first.id, &[page(2, "c")], None, false, &api(MINUTE))
        .await?;
    assert_eq!(
        stored,
        PagesOutcome::Stored {
            replaced: vec!["b".to_owned()]
        }
    );
    let pdf = DocumentPage {
        text_layer: Some("TEXT".to_owned()),
        ..page(1, "d")
    };
    let stored = repo
        .put_document_pages(second.id, &[page(1, "x")], None, false, &api(MINUTE))
        .await?;
    assert_eq!(stored, PagesOutcome::Stored { replaced: vec![] });
    let stored = repo
        .put_document_pages(
            second.id,
            std::slice::from_ref(&pdf),
            Some("original"),
            true,
            &api(MINUTE),
        )
        .await?;
    assert_eq!(
        stored,
        PagesOutcome::Stored {
            replaced: vec!["x".to_owned()]
        }
    );
    assert_eq!(repo.document_pages(second.id).await?, vec![pdf]);
    let read = repo
        .document_verification(second.id)
        .await?
        .ok_or("second")?;
    assert_eq!(read.original_blob.as_deref(), Some("original"));
    assert_eq!(read.updated_at, at(MINUTE));
    let numbers: Vec<u32> = repo
        .document_pages(first.id)
        .await?
        .iter()
        .map(|p| p.number)
        .collect();
    assert_eq!(numbers, [1, 2]);

    // Nothing to claim until finalized; then the longest waiting first, one worker at a time.
    assert_eq!(
        repo.claim_document_verification(at(2 * MINUTE), at(3 * MINUTE), lease(1))
            .await?,
        None
    );
    assert!(
        repo.finalize_document_verification(second.id, at(2 * MINUTE))
            .await?
    );
    assert!(
        repo.finalize_document_verification(first.id, at(3 * MINUTE))
            .await?
    );
    assert!(
        !repo
            .finalize_document_verification(first.id, at(3 * MINUTE))
            .await?
    );
    assert_eq!(
        repo.put_document_pages(first.id, &[page(3, "e")], None, false, &api(3 * MINUTE))
            .await?,
        PagesOutcome::Closed
    );
    let claimed = repo
        .claim_document_verification(at(4 * MINUTE), at(5 * MINUTE), lease(1))
        .await?
        .ok_or("a claim")?;
    assert_eq!(claimed.id, second.id);
    assert_eq!(claimed.stage, DocumentStage::Processing);
    let next = repo
        .claim_document_verification(at(4 * MINUTE), at(5 * MINUTE), lease(2))
        .await?
        .ok_or("the other")?;
    assert_eq!(next.id, first.id);
    assert_eq!(
        repo.claim_document_verification(at(4 * MINUTE), at(5 * MINUTE), lease(3))
            .await?,
        None
    );
    // The first worker's lease ran out: another takes the transaction over.
    let taken = repo
        .claim_document_verification(at(6 * MINUTE), at(7 * MINUTE), lease(4))
        .await?
        .ok_or("taken over")?;
    assert_eq!(taken.id, second.id);

    let extraction = DocumentExtraction {
        status: Some(DocumentStatus::Extracted),
        name: Some("JOHN SMITH".to_owned()),
        not_extracted: vec!["dueDate".to_owned()],
        ..DocumentExtraction::default()
    };
    let callback = NewCallback::for_document(
        callback_id(1),
        &taken,
        "https://example.com/cb".to_owned(),
        at(6 * MINUTE),
    );
    assert!(
        !repo
            .complete_document_verification(
                second.id,
                lease(1),
                &extraction,
                at(6 * MINUTE),
                Some(&callback)
            )
            .await?
    );
    assert!(
        repo.complete_document_verification(
            second.id,
            lease(4),
            &extraction,
            at(6 * MINUTE),
            Some(&callback)
        )
        .await?
    );
    let done = repo.document_verification(second.id).await?.ok_or("done")?;
    assert_eq!(done.stage, DocumentStage::Done);
    assert_eq!(done.extraction, Some(extraction));
    assert_eq!(repo.callbacks_of(tenant, second.id).await?.len(), 1);

    assert!(
        repo.delete_document_verification(second.id, "prefix/", at(7 * MINUTE))
            .await?
    );
    assert!(
        !repo
            .delete_document_verification(second.id, "prefix/", at(7 * MINUTE))
            .await?
    );
    assert_eq!(repo.document_verification(second.id).await?, None);
    assert!(repo.document_pages(second.id).await?.is_empty());
    // Its callback, not delivered yet, is not sent once the data is gone.
    let callbacks = repo.callbacks_of(tenant, second.id).await?;
    assert!(
        callbacks.iter().all(|record| record.gave_up_at.is_some()),
        "{callbacks:?}"
    );
    assert_eq!(
        repo.pending_blob_deletions().await?,
        vec!["prefix/".to_owned()]
    );
    Ok(())
}

/// A transaction not finalized in time is found by the sweep, failed once with its callback,
/// and not found again; one updated since, or finalized, is left alone.
pub async fn an_unfinalized_document_verification_fails_once_with_its_callback(
    repo: &dyn Repository,
) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let idle = verification(tenant, 1, 0);
    let busy = verification(tenant, 2, 0);
    let finalized = verification(tenant, 3, 0);
    // Idle too, but its web client link opens it until minute 30.
    let awaited = DocumentVerification {
        initiation_token: Some(InitiationToken {
            hash: "ef".repeat(32),
            expires_at: at(30 * MINUTE),
        }),
        ..verification(tenant, 4, 0)
    };
    for verification in [&idle, &busy, &finalized, &awaited] {
        repo.insert_document_verification(verification).await?;
    }
    repo.put_document_pages(busy.id, &[page(1, "a")], None, false, &api(10 * MINUTE))
        .await?;
    assert!(
        repo.finalize_document_verification(finalized.id, at(MINUTE))
            .await?
    );
    let before = at(5 * MINUTE);
    let stale: Vec<Uuid> = repo
        .stale_document_verifications(before, at(20 * MINUTE), 10)
        .await?
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(stale, [idle.id]);
    assert!(
        !repo
            .fail_document_verification(awaited.id, before, at(20 * MINUTE), None)
            .await?
    );
    let callback = NewCallback::for_document(
        callback_id(1),
        &idle,
        "https://example.com/cb".to_owned(),
        at(20 * MINUTE),
    );
    assert!(
        !repo
            .fail_document_verification(busy.id, before, at(20 * MINUTE), None)
            .await?
    );
    assert!(
        repo.fail_document_verification(idle.id, before, at(20 * MINUTE), Some(&callback))
            .await?
    );
    assert!(
        !repo
            .fail_document_verification(idle.id, before, at(20 * MINUTE), Some(&callback))
            .await?
    );
    let failed = repo.document_verification(idle.id).await?.ok_or("idle")?;
    assert_eq!(failed.stage, DocumentStage::Failed);
    assert_eq!(repo.callbacks_of(tenant, idle.id).await?.len(), 1);
    // Once its link is dead, the awaited one is stale as well.
    let stale: Vec<Uuid> = repo
        .stale_document_verifications(before, at(30 * MINUTE), 10)
        .await?
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(stale, [awaited.id]);
    assert!(
        repo.fail_document_verification(awaited.id, before, at(30 * MINUTE), None)
            .await?
    );
    assert!(repo
        .stale_document_verifications(before, at(30 * MINUTE), 10)
        .await?
        .is_empty());
    Ok(())
}

pub async fn the_web_client_link_is_found_by_its_hash_and_ended_by_an_api_upload(
    repo: &dyn Repository,
) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let mut linked = verification(tenant, 3, 0);
    linked.request.web = DocumentWebSettings {
        success_url: Some("https://example.com/done".to_owned()),
        error_url: Some("https://example.com/failed".to_owned()),
        token_lifetime_seconds: Some(3600),
        colors: Some(ClientColors {
            base: "0B3D91".to_owned(),
            background: "F4F1EA".to_owned(),
        }),
        header_image_url: Some("https://example.com/logo.png".to_owned()),
        locale: Some("pt-BR".to_owned()),
    };
    linked.initiation_token = Some(InitiationToken {
        hash: "ab".repeat(32),
        expires_at: at(3600),
    });
    let other = DocumentVerification {
        initiation_token: Some(InitiationToken {
            hash: "cd".repeat(32),
            expires_at: at(3600),
        }),
        ..verification(tenant, 4, 0)
    };
    repo.insert_document_verification(&linked).await?;
    repo.insert_document_verification(&other).await?;
    assert_eq!(
        repo.document_verification_by_token(&"ab".repeat(32))
            .await?,
        Some(linked.clone())
    );
    assert_eq!(
        repo.document_verification_by_token(&"ef".repeat(32))
            .await?,
        None
    );

    // The web client's upload makes the transaction DOC_UPLOAD and leaves the link as it is.
    let web = PagesStamp {
        at: at(MINUTE),
        source: DocumentSource::DocUpload,
        link_expires_at: None,
    };
    repo.put_document_pages(linked.id, &[page(1, "w")], None, false, &web)
        .await?;
    let read = repo
        .document_verification_by_token(&"ab".repeat(32))
        .await?
        .ok_or("linked")?;
    assert_eq!(read.source, DocumentSource::DocUpload);
    assert_eq!(read.initiation_token, linked.initiation_token);
    assert_eq!(read.updated_at, at(MINUTE));

    // An upload through the API ends the link when it is stored.
    let ending = PagesStamp {
        link_expires_at: Some(at(2 * MINUTE)),
        ..api(2 * MINUTE)
    };
    repo.put_document_pages(other.id, &[page(1, "a")], None, false, &ending)
        .await?;
    let read = repo.document_verification(other.id).await?.ok_or("other")?;
    assert_eq!(read.source, DocumentSource::DocApi);
    assert_eq!(
        read.initiation_token.map(|token| token.expires_at),
        Some(at(2 * MINUTE))
    );
    Ok(())
}
