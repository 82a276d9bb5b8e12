//! The contract of `verifyd_domain::repository::Repository`, written once for every backend.
//! Each check is a `pub async fn` taking a fresh, empty repository; it seeds what it needs
//! through the trait alone (no SQL, no HTTP) and asserts what a user of verifyd relies on.
//! A backend's test file runs them all with `repository_contract!`, which makes one
//! `#[tokio::test]` per check, so a check added here runs on every backend at once.

pub mod callbacks;
pub mod cluster;
pub mod deletion;
pub mod document_verifications;
pub mod expiry;
pub mod fixtures;
pub mod footprint;
pub mod jobs;
pub mod queue;
pub mod records;
pub mod retention;
pub mod screening;
pub mod tenancy;

/// One `#[tokio::test]` per check. `$open` is an async fn returning
/// `Result<(guard, Arc<dyn Repository>), fixtures::Error>`: a fresh, empty repository and
/// whatever must live as long as it (a temporary directory, a scratch database).
macro_rules! repository_contract {
    ($open:path) => {
        $crate::contract::repository_contract!(
            $open;
            jobs::a_job_is_leased_taken_over_and_completed_once,
            jobs::finalize_queues_one_job,
            jobs::jobs_are_claimed_oldest_due_first,
            jobs::a_rescheduled_job_waits_for_its_time,
            jobs::a_deleted_executions_job_completes_nothing,
            jobs::concurrent_claims_hand_out_each_job_once,
            jobs::a_waiting_worker_is_woken_when_a_job_is_queued,
            callbacks::a_callback_is_leased_retried_and_delivered_once,
            callbacks::a_callback_given_up_is_not_retried,
            callbacks::concurrent_claims_hand_out_each_callback_once,
            deletion::deleting_an_account_removes_everything_under_it,
            deletion::deleting_an_account_leaves_other_accounts_intact,
            deletion::deleting_an_execution_removes_only_what_it_owns,
            deletion::deletion_gives_up_netverify_callbacks_only,
            deletion::a_callback_given_up_by_deletion_stays_given_up,
            deletion::blob_deletions_stay_pending_until_done,
            records::tenants_and_api_clients_read_back_as_stored,
            records::a_server_secret_is_stored_once_and_replaced_only_as_expected,
            records::the_chosen_document_is_kept_apart_from_the_presets,
            tenancy::reads_by_tenant_never_cross_tenants,
            tenancy::duplicate_searches_stay_within_the_tenant,
            tenancy::writes_by_tenant_never_cross_tenants,
            expiry::the_sweep_finds_only_due_executions,
            expiry::the_sweep_takes_at_most_limit_earliest_first,
            expiry::expiring_closes_a_due_execution_once,
            cluster::a_periodic_turn_is_taken_once_per_interval,
            cluster::simultaneous_takers_get_one_turn,
            cluster::initiations_are_limited_per_tenant,
            cluster::simultaneous_initiations_are_counted_once_each,
            queue::queue_stats_count_due_and_leased_jobs_and_the_oldest_wait,
            screening::search_profiles_and_reviews_read_back_within_the_tenant,
            retention::a_tenants_retention_reads_back_as_set,
            retention::the_retention_sweep_pages_through_finished_executions_before_the_cutoff,
            retention::an_account_is_deleted_as_empty_only_without_executions,
            document_verifications::a_document_verification_is_acquired_leased_and_completed_once,
            document_verifications::an_unfinalized_document_verification_fails_once_with_its_callback,
            document_verifications::the_web_client_link_is_found_by_its_hash_and_ended_by_an_api_upload,
        );
    };
    ($open:path; $($module:ident :: $check:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() -> $crate::contract::fixtures::Outcome {
                let (_guard, repository) = $open().await?;
                $crate::contract::$module::$check(repository.as_ref()).await
            }
        )+
    };
}
pub(crate) use repository_contract;
