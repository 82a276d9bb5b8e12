//! What the nodes on one database agree on through it: whose turn periodic work is, and how
//! many initiations a tenant made. Several callers at once stand for several nodes; the
//! backend's own atomicity must give one answer, as a node's memory cannot.

use chrono::Duration;
use futures::future::join_all;
use uuid::Uuid;
use verifyd_domain::repository::{PeriodicTask, Repository};
use verifyd_domain::rules::rate_limit::RateLimits;

use super::fixtures::{add_tenant, at, Outcome};

fn node(n: u128) -> Uuid {
    Uuid::from_u128(0x6e6f_6465_0000_0000_0000_0000_0000_0000 | n)
}

/// The first taker gets the turn; nobody, the same node included, gets it again until the
/// interval has passed; each task has turns of its own.
pub async fn a_periodic_turn_is_taken_once_per_interval(repo: &dyn Repository) -> Outcome {
    let every = Duration::seconds(60);
    let task = PeriodicTask::ExpirySweep;
    assert!(repo.take_turn(task, node(1), at(0), every).await?);
    assert!(!repo.take_turn(task, node(2), at(30), every).await?);
    assert!(!repo.take_turn(task, node(1), at(59), every).await?);
    assert!(
        repo.take_turn(PeriodicTask::BlobPurge, node(2), at(59), every)
            .await?,
        "another task's turn is its own"
    );
    assert!(repo.take_turn(task, node(2), at(60), every).await?);
    assert!(!repo.take_turn(task, node(1), at(61), every).await?);
    Ok(())
}

/// Eight nodes asking at the same instant: exactly one gets the turn.
pub async fn simultaneous_takers_get_one_turn(repo: &dyn Repository) -> Outcome {
    let every = Duration::seconds(60);
    for round in 0..5_i64 {
        let now = at(round * 60);
        let taken =
            join_all((0..8).map(|n| repo.take_turn(PeriodicTask::BlobPurge, node(n), now, every)))
                .await
                .into_iter()
                .collect::<Result<Vec<bool>, _>>()?;
        assert_eq!(
            taken.iter().filter(|taken| **taken).count(),
            1,
            "round {round}: {taken:?}"
        );
    }
    Ok(())
}

/// The limits hold per tenant, refusals say how long to wait, and the window slides.
pub async fn initiations_are_limited_per_tenant(repo: &dyn Repository) -> Outcome {
    let limits = RateLimits {
        per_second: 3,
        per_minute: 5,
    };
    let mine = add_tenant(repo, 1).await?;
    let theirs = add_tenant(repo, 2).await?;
    for _ in 0..3 {
        assert_eq!(repo.admit_initiation(mine, at(0), limits).await?, Ok(()));
    }
    assert_eq!(repo.admit_initiation(mine, at(0), limits).await?, Err(1));
    assert_eq!(
        repo.admit_initiation(theirs, at(0), limits).await?,
        Ok(()),
        "tenants are limited apart"
    );
    assert_eq!(repo.admit_initiation(mine, at(1), limits).await?, Ok(()));
    assert_eq!(repo.admit_initiation(mine, at(1), limits).await?, Ok(()));
    assert_eq!(
        repo.admit_initiation(mine, at(3), limits).await?,
        Err(57),
        "5 per minute used; a refusal is not counted"
    );
    assert_eq!(repo.admit_initiation(mine, at(60), limits).await?, Ok(()));
    Ok(())
}

/// Twenty initiations at one instant from as many callers: exactly the per-second limit is
/// admitted, whichever callers win.
pub async fn simultaneous_initiations_are_counted_once_each(repo: &dyn Repository) -> Outcome {
    let limits = RateLimits {
        per_second: 3,
        per_minute: 180,
    };
    let tenant = add_tenant(repo, 1).await?;
    let answers = join_all((0..20).map(|_| repo.admit_initiation(tenant, at(0), limits)))
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let admitted = answers.iter().filter(|answer| answer.is_ok()).count();
    assert_eq!(admitted, 3, "{answers:?}");
    Ok(())
}
