//! Ongoing monitoring: when an import adds or changes entries of a list, every holder a
//! monitoring tenant screened is searched again against those entries only (not the whole
//! list), and a match that the holder's last search did not report is stored as a search of its
//! own and sent to the tenant as a callback of its own (verifyd's, not the spec's: the spec's
//! screening provider reports monitoring in its own portal).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde_json::Value;
use uuid::Uuid;
use verifyd_screening::{Match, Query, SearchOptions};

use super::screening::{report_json, set_aside_reviewed, ScreeningQuery, Stamp};
use super::Verifyd;
use crate::error::DomainError;
use crate::random::new_id;
use crate::repository::{NewCallback, ScreeningReview, StoredScreeningSearch, WatchlistSummary};

/// What re-screening after an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MonitoringReport {
    /// The entries searched: those the import added or changed.
    pub entries: usize,
    /// Tenants with monitoring on whose profile covers the list.
    pub tenants: usize,
    /// Holders searched again.
    pub holders: usize,
    /// Holders with a new match, each stored and called back.
    pub hits: usize,
    pub seconds: f64,
}

impl Verifyd {
    /// Screens every monitored holder again against `entry_ids` of `list` (the version just
    /// imported, in force).
    pub(super) async fn monitor(
        &self,
        list: &WatchlistSummary,
        entry_ids: HashSet<String>,
    ) -> Result<MonitoringReport, DomainError> {
        let started = Instant::now();
        let mut report = MonitoringReport {
            entries: entry_ids.len(),
            ..MonitoringReport::default()
        };
        let tenants = self.repository.monitoring_tenants().await?;
        if entry_ids.is_empty() || tenants.is_empty() {
            return Ok(report);
        }
        let (screener, _) = self
            .indexed_lists()
            .await
            .map_err(|failure| DomainError::Internal(failure.to_string()))?;
        for (tenant, profile) in tenants {
            if profile
                .lists
                .as_ref()
                .is_some_and(|lists| !lists.contains(&list.name))
            {
                continue;
            }
            report.tenants += 1;
            // Read once per tenant: a query per holder would cost more than the search.
            let mut reviews: HashMap<Uuid, Vec<ScreeningReview>> = HashMap::new();
            for review in self.repository.screening_reviews(tenant, None).await? {
                reviews.entry(review.account_id).or_default().push(review);
            }
            for holder in self.repository.monitored_holders(tenant).await? {
                report.holders += 1;
                let Ok(last) = serde_json::from_str::<Value>(&holder.report) else {
                    continue;
                };
                let Some(query) = query_of(&last["query"]) else {
                    continue;
                };
                let mut options = SearchOptions::default();
                if let Some(threshold) = profile.threshold {
                    options.threshold = threshold;
                }
                let threshold = options.threshold;
                options.lists = Some(HashSet::from([list.name.clone()]));
                options.entry_ids = Some(entry_ids.clone());
                let search = Query {
                    name: query.name.clone(),
                    date_of_birth: query.date_of_birth,
                    nationality: query.nationality.clone(),
                    gender: query.gender,
                };
                // A stored query that no longer searches (it did once) is left alone.
                let Ok(matches) = screener.search(search, options).await else {
                    continue;
                };
                let known = reported(&last);
                let reviewed: &[ScreeningReview] = holder
                    .account_id
                    .and_then(|account| reviews.get(&account))
                    .map_or(&[], Vec::as_slice);
                let (matches, _) = set_aside_reviewed(matches, reviewed);
                let new: Vec<Match> = matches
                    .into_iter()
                    .filter(|found| !known.contains(&(found.list.clone(), found.entry_id.clone())))
                    .collect();
                if new.is_empty() {
                    continue;
                }
                report.hits += 1;
                self.report_hit(&holder, &query, list, &new, threshold)
                    .await?;
            }
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Stores the new matches as a search of the holder's account and queues its callback.
    async fn report_hit(
        &self,
        holder: &StoredScreeningSearch,
        query: &ScreeningQuery,
        list: &WatchlistSummary,
        matches: &[Match],
        threshold: f64,
    ) -> Result<(), DomainError> {
        let mut report = report_json(query, std::slice::from_ref(list), matches, threshold);
        if let Some(fields) = report.as_object_mut() {
            fields.insert(
                "monitoring".to_owned(),
                serde_json::json!({ "list": list.name, "version": list.id.to_string() }),
            );
        }
        let Stamp { id, at, .. } = self.stamp(&mut report);
        let search = StoredScreeningSearch {
            id,
            tenant_id: holder.tenant_id,
            account_id: holder.account_id,
            execution_id: holder.execution_id,
            created_at: at,
            results: matches.len() as u64,
            report: report.to_string(),
        };
        let execution = match holder.execution_id {
            Some(execution) => self.repository.execution_by_id(execution).await?,
            None => None,
        };
        let callback = match execution {
            Some(execution) => self.callback_url_for(&execution).await?.map(|url| {
                NewCallback::for_monitoring(new_id(self.random.as_ref()), &execution, id, url, at)
            }),
            None => None,
        };
        self.repository
            .record_screening_search(&search, callback.as_ref())
            .await?;
        Ok(())
    }
}

/// The query a stored report searched (see `report_json`).
fn query_of(query: &Value) -> Option<ScreeningQuery> {
    Some(ScreeningQuery {
        name: query.get("name")?.as_str()?.to_owned(),
        date_of_birth: serde_json::from_value(query.get("dateOfBirth")?.clone()).ok()?,
        nationality: query
            .get("nationality")
            .and_then(Value::as_str)
            .map(str::to_owned),
        gender: serde_json::from_value(query.get("gender")?.clone()).ok()?,
    })
}

/// The (list, entry) pairs a stored report already gave.
fn reported(report: &Value) -> HashSet<(String, String)> {
    report["matches"]
        .as_array()
        .map(|matches| {
            matches
                .iter()
                .filter_map(|found| {
                    Some((
                        found["list"].as_str()?.to_owned(),
                        found["entryId"].as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}
