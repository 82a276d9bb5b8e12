//! Data retention. A tenant's setting reads back as set (the portal's default until then), and
//! a sweep finds exactly the finished executions created before its cutoff, in pages that move
//! past what it keeps, within the tenant.

use verifyd_domain::model::Retention;
use verifyd_domain::repository::Repository;

use super::fixtures::{
    account_id, add_tenant, at, execution_id, finalize, job_id, lease, process, Initiation,
    Outcome, DAY,
};

pub async fn a_tenants_retention_reads_back_as_set(repo: &dyn Repository) -> Outcome {
    let first = add_tenant(repo, 1).await?;
    let second = add_tenant(repo, 2).await?;
    let mut all = repo.retentions().await?;
    all.sort_by_key(|(tenant, _)| *tenant);
    assert_eq!(
        all,
        vec![
            (first, Retention::default()),
            (second, Retention::default())
        ]
    );
    let week = Retention {
        days: Some(7),
        delete_fraud: true,
    };
    repo.set_retention(first, &week).await?;
    let forever = Retention {
        days: None,
        delete_fraud: false,
    };
    repo.set_retention(second, &forever).await?;
    repo.set_retention(second, &forever).await?;
    let mut all = repo.retentions().await?;
    all.sort_by_key(|(tenant, _)| *tenant);
    assert_eq!(all, vec![(first, week), (second, forever)]);
    Ok(())
}

pub async fn the_retention_sweep_pages_through_finished_executions_before_the_cutoff(
    repo: &dyn Repository,
) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let other = add_tenant(repo, 2).await?;
    // Executions 1-3 processed on days 0, 1 and 2; 4 still initiated on day 0; 5 of another
    // tenant processed on day 0.
    for (n, owner, day, finish) in [
        (1, tenant, 0, true),
        (2, tenant, 1, true),
        (3, tenant, 2, true),
        (4, tenant, 0, false),
        (5, other, 0, true),
    ] {
        Initiation::new(owner, account_id(n), execution_id(n))?
            .created_at(at(day * DAY))
            .store(repo)
            .await?;
        if finish {
            let when = at(day * DAY + 60);
            finalize(repo, execution_id(n), job_id(n), when).await?;
            process(repo, execution_id(n), lease(n), when, None, &[]).await?;
        }
    }
    let ids = |executions: Vec<verifyd_domain::model::WorkflowExecution>| -> Vec<uuid::Uuid> {
        executions.into_iter().map(|e| e.id).collect()
    };
    // Created before day 2: 1 and 2, oldest first; 4 is not finished, 5 is another tenant's.
    let cutoff = at(2 * DAY);
    assert_eq!(
        ids(repo.retention_due(tenant, cutoff, None, 10).await?),
        vec![execution_id(1), execution_id(2)]
    );
    let first_page = repo.retention_due(tenant, cutoff, None, 1).await?;
    assert_eq!(ids(first_page.clone()), vec![execution_id(1)]);
    let last = first_page.last().map(|e| (e.created_at, e.id));
    assert_eq!(
        ids(repo.retention_due(tenant, cutoff, last, 1).await?),
        vec![execution_id(2)],
        "the next page starts after the last one read"
    );
    let outcome = repo
        .retention_due(tenant, cutoff, None, 1)
        .await?
        .into_iter()
        .next()
        .and_then(|e| e.outcome);
    assert!(outcome.is_some(), "the outcome is read back, opened");
    assert_eq!(
        ids(repo.retention_due(other, cutoff, None, 10).await?),
        vec![execution_id(5)]
    );
    Ok(())
}

/// Retention deletes an account only once its last execution is gone, checked as it deletes:
/// an account with an execution left stays, whatever the caller believed.
pub async fn an_account_is_deleted_as_empty_only_without_executions(
    repo: &dyn Repository,
) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(repo)
        .await?;
    let prefixes = vec![format!("tenants/{tenant}/accounts/{}/", account_id(1))];
    assert!(
        !repo
            .delete_account_if_empty(tenant, account_id(1), &prefixes, at(DAY))
            .await?,
        "an execution is left"
    );
    assert!(repo.account(tenant, account_id(1)).await?.is_some());
    assert!(
        repo.delete_execution(tenant, account_id(1), execution_id(1), &[], at(DAY))
            .await?
    );
    assert!(
        repo.delete_account_if_empty(tenant, account_id(1), &prefixes, at(DAY))
            .await?
    );
    assert_eq!(repo.account(tenant, account_id(1)).await?, None);
    Ok(())
}
