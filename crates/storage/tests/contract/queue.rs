//! What `/metrics` reports of the processing queue: how many jobs wait, how many are being
//! processed, and since when the oldest has waited. A dashboard's backlog alarm relies on it.

use verifyd_domain::repository::{QueueStats, Repository};

use super::fixtures::{
    account_id, add_tenant, at, execution_id, finalize, job_id, just_before, lease, outcome,
    Initiation, Outcome, HOUR, MINUTE,
};

/// Jobs count as due once their time has come and while no live lease holds them; a leased
/// job counts as leased until its lease runs out, then as due again; a job given back for later
/// is not due before its new time; a completed job is gone from both.
pub async fn queue_stats_count_due_and_leased_jobs_and_the_oldest_wait(
    repo: &dyn Repository,
) -> Outcome {
    assert_eq!(repo.queue_stats(at(HOUR)).await?, QueueStats::default());
    let tenant = add_tenant(repo, 1).await?;
    for n in 1..=3 {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .store(repo)
            .await?;
    }
    finalize(repo, execution_id(1), job_id(1), at(MINUTE)).await?;
    finalize(repo, execution_id(2), job_id(2), at(2 * MINUTE)).await?;
    finalize(repo, execution_id(3), job_id(3), at(3 * MINUTE)).await?;

    assert_eq!(
        repo.queue_stats(just_before(at(MINUTE))).await?,
        QueueStats::default(),
        "no job is due before its time"
    );
    assert_eq!(
        repo.queue_stats(at(2 * MINUTE)).await?,
        QueueStats {
            due: 2,
            leased: 0,
            oldest_due_at: Some(at(MINUTE)),
        }
    );

    // A worker takes the oldest: the next oldest is now the longest waiting.
    let claimed = repo
        .claim_job(at(3 * MINUTE), at(10 * MINUTE), lease(1))
        .await?
        .ok_or("no job")?;
    assert_eq!(claimed.execution_id, execution_id(1));
    assert_eq!(
        repo.queue_stats(at(3 * MINUTE)).await?,
        QueueStats {
            due: 2,
            leased: 1,
            oldest_due_at: Some(at(2 * MINUTE)),
        }
    );
    // Its worker died: once the lease ran out, the job waits again, since its own time.
    assert_eq!(
        repo.queue_stats(at(10 * MINUTE)).await?,
        QueueStats {
            due: 3,
            leased: 0,
            oldest_due_at: Some(at(MINUTE)),
        }
    );

    // Given back for an hour later: not due, not leased, until then.
    repo.reschedule_job(&claimed, at(HOUR), "engine failed")
        .await?;
    assert_eq!(
        repo.queue_stats(at(4 * MINUTE)).await?,
        QueueStats {
            due: 2,
            leased: 0,
            oldest_due_at: Some(at(2 * MINUTE)),
        }
    );

    // Completed jobs leave the queue.
    for token in [2, 3] {
        let job = repo
            .claim_job(at(5 * MINUTE), at(6 * MINUTE), lease(token))
            .await?
            .ok_or("no job")?;
        assert!(
            repo.complete_processing(&job, &outcome(), at(5 * MINUTE), None, &[])
                .await?
        );
    }
    assert_eq!(
        repo.queue_stats(at(5 * MINUTE)).await?,
        QueueStats::default()
    );
    assert_eq!(
        repo.queue_stats(at(HOUR)).await?,
        QueueStats {
            due: 1,
            leased: 0,
            oldest_due_at: Some(at(HOUR)),
        }
    );
    Ok(())
}
