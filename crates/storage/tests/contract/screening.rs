//! Screening records: searches, the tenant's default and named search profiles, and reviewed
//! false positives, each read back as stored, within its tenant, and gone with its account.

use uuid::Uuid;
use verifyd_domain::repository::{
    Repository, ScreeningProfile, ScreeningReview, SearchStatusValue, StoredScreeningSearch,
};

use super::fixtures::{add_tenant, at, Outcome};
use super::footprint::Footprint;

fn search(tenant: Uuid, account: Uuid, n: u128, seconds: i64) -> StoredScreeningSearch {
    StoredScreeningSearch {
        id: Uuid::from_u128(0x5ea4c4 << 64 | n),
        tenant_id: tenant,
        account_id: Some(account),
        execution_id: None,
        created_at: at(seconds),
        results: 1,
        report: format!(r#"{{"searchResults":1,"n":{n}}}"#),
    }
}

/// Named profiles are per tenant and apart from the default profile; a review of an entry is
/// replaced by a later one, read within the tenant only, and goes with its account.
pub async fn search_profiles_and_reviews_read_back_within_the_tenant(
    repo: &dyn Repository,
) -> Outcome {
    let mine = add_tenant(repo, 1).await?;
    let theirs = add_tenant(repo, 2).await?;
    let own = Footprint::seed(repo, mine, 1, "fp-1").await?;

    let default = ScreeningProfile {
        lists: None,
        threshold: Some(0.9),
        search_status: SearchStatusValue::Success,
        monitoring: true,
    };
    repo.set_screening_profile(mine, &default).await?;
    let named = ScreeningProfile {
        lists: Some(vec!["ofac-sdn".to_owned()]),
        threshold: Some(0.95),
        ..ScreeningProfile::default()
    };
    repo.set_search_profile(mine, "sanctions-only", Some(&named))
        .await?;
    repo.set_search_profile(mine, "pep", Some(&ScreeningProfile::default()))
        .await?;
    assert_eq!(repo.screening_profile(mine).await?, Some(default));
    assert_eq!(
        repo.search_profile(mine, "sanctions-only").await?,
        Some(named.clone())
    );
    assert_eq!(repo.search_profile(theirs, "sanctions-only").await?, None);
    let names: Vec<String> = repo
        .search_profiles(mine)
        .await?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["pep", "sanctions-only"]);
    repo.set_search_profile(mine, "pep", None).await?;
    assert_eq!(repo.search_profile(mine, "pep").await?, None);
    assert_eq!(repo.search_profiles(mine).await?.len(), 1);

    let first = search(mine, own.account, 1, 10);
    repo.record_screening_search(&first, None).await?;
    assert_eq!(
        repo.screening_search(mine, first.id).await?,
        Some(first.clone())
    );
    assert_eq!(repo.screening_search(theirs, first.id).await?, None);
    let review = |version: &str, seconds| ScreeningReview {
        tenant_id: mine,
        account_id: own.account,
        list: "un-consolidated".to_owned(),
        entry_id: "LYi.023".to_owned(),
        entry_version: version.to_owned(),
        search_id: first.id,
        reviewed_at: at(seconds),
    };
    repo.insert_screening_review(&review("v1", 20)).await?;
    repo.insert_screening_review(&review("v2", 30)).await?;
    assert_eq!(
        repo.screening_reviews(mine, Some(own.account)).await?,
        vec![review("v2", 30)],
        "a later review of the same entry replaces the earlier"
    );
    assert_eq!(
        repo.screening_reviews(theirs, Some(own.account)).await?,
        vec![]
    );
    assert_eq!(
        repo.screening_reviews(mine, None).await?,
        vec![review("v2", 30)],
        "the tenant's reviews, of every account"
    );
    assert_eq!(repo.screening_reviews(theirs, None).await?, vec![]);

    assert!(repo.delete_account(mine, own.account, &[], at(40)).await?);
    assert_eq!(
        repo.screening_reviews(mine, Some(own.account)).await?,
        vec![]
    );
    assert_eq!(repo.screening_search(mine, first.id).await?, None);
    Ok(())
}
