//! Watchlist screening: lists imported as versions (one in force per list name, checked
//! against the one it replaces), searched through the [`Screener`] port, and every search kept
//! with what it found, for `searchResultUrl` (`GET /api/v1/screening/searches/{id}`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;
use verifyd_screening::{
    check_replacement, diff, BirthDate, Gender, ListCounts, ListVersion, Match, Query, QueryError,
    SearchOptions,
};
use verifyd_types::ErrorCode;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{Caller, Scope};
use crate::repository::{
    ScreeningProfile, ScreeningReview, SearchStatusValue, StoredScreeningSearch, StoredWatchlist,
    WatchlistSummary,
};
use crate::screener::{Screener, ScreenerError};

/// An import refused when it would shrink its list by more than this share, unless the caller
/// says otherwise: a truncated download must not quietly drop listed persons.
pub const DEFAULT_MAX_SHRINK: f64 = 0.1;

/// What an import stored, and what changed against the version it replaced.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub list: WatchlistSummary,
    pub counts: ListCounts,
    /// The version replaced, with the entries added, changed and removed since; none for a
    /// list's first import.
    pub replaced: Option<(WatchlistSummary, usize, usize, usize)>,
    /// The monitored holders screened again against what the import added or changed.
    pub monitoring: super::monitoring::MonitoringReport,
}

/// What an import did.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    /// The list was stored as the version in force for its name.
    Imported(Box<ImportReport>),
    /// The list is the version in force again (the same name, stated date and entries; the
    /// source files' names aside): nothing was stored and nobody was screened again. A
    /// re-import of unchanged files (a watched directory seen again at start) makes no new
    /// version.
    Unchanged(WatchlistSummary),
}

/// The person searched for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreeningQuery {
    pub name: String,
    pub date_of_birth: Option<BirthDate>,
    /// ISO 3166 alpha-2 or alpha-3, or a country's name.
    pub nationality: Option<String>,
    pub gender: Option<Gender>,
}

/// Whom a search screened, for its record.
#[derive(Debug, Clone, Copy)]
pub struct Screened {
    pub tenant_id: Uuid,
    pub account_id: Option<Uuid>,
    pub execution_id: Option<Uuid>,
}

/// A search done and stored.
#[derive(Debug, Clone)]
pub struct SearchDone {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `searchReference`: when and which search, readable in a log without the id.
    pub reference: String,
    pub results: u64,
    /// The stored report (`GET /api/v1/screening/searches/{id}`).
    pub report: Value,
    /// The `searchStatus` the tenant's profile reports a finished search with.
    pub status: SearchStatusValue,
}

fn check_profile(profile: &ScreeningProfile) -> Result<(), crate::rules::FieldError> {
    if let Some(threshold) = profile.threshold {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(crate::rules::FieldError::new(
                "threshold",
                "must be over 0 and at most 1",
            ));
        }
    }
    if profile
        .lists
        .as_ref()
        .is_some_and(|lists| lists.is_empty() || lists.iter().any(|l| l.trim().is_empty()))
    {
        return Err(crate::rules::FieldError::new(
            "lists",
            "must name at least one list",
        ));
    }
    Ok(())
}

/// A new search's identity (`Verifyd::stamp`).
pub(super) struct Stamp {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub reference: String,
}

/// The matches to report, and those set aside because the tenant reviewed them as false
/// positives for this account while the entry was as it is now.
pub(super) fn set_aside_reviewed(
    matches: Vec<Match>,
    reviews: &[ScreeningReview],
) -> (Vec<Match>, Vec<Match>) {
    matches.into_iter().partition(|found| {
        !reviews.iter().any(|review| {
            review.list == found.list
                && review.entry_id == found.entry_id
                && review.entry_version == found.entry_version
        })
    })
}

/// Why a search could not be done: each is a NOT_EXECUTED label of its own.
#[derive(Debug, thiserror::Error)]
pub enum ScreeningFailure {
    /// No name to search (`NOT_ENOUGH_DATA`).
    #[error("no name to search: {0}")]
    NotEnoughData(QueryError),
    /// No list is loaded, or verifyd runs without a screener (`INVALID_MERCHANT_SETTINGS`).
    #[error("no watchlist is loaded: import one with `verifyd screening import`")]
    NoLists,
    /// The tenant's profile names a list that is not loaded (`INVALID_MERCHANT_SETTINGS`).
    #[error("the screening profile names {0}, which is not loaded")]
    UnknownList(String),
    /// The request names a search profile the tenant does not have
    /// (`INVALID_MERCHANT_SETTINGS`).
    #[error("searchProfile: the tenant has no search profile {0:?}")]
    UnknownProfile(String),
    /// The lists or the store failed (`TECHNICAL_ERROR`).
    #[error("{0}")]
    Technical(String),
}

impl Verifyd {
    /// Adds the screening port: without one, screening is NOT_EXECUTED.
    pub fn with_screener(mut self, screener: Arc<dyn Screener>) -> Self {
        self.screener = Some(screener);
        self
    }

    /// Stores `list` as the version in force for its name, unless it is empty or shrinks the
    /// version in force by more than `max_shrink` (a share, 0..1): then nothing changes. A
    /// list with the same content as the version in force is not stored again
    /// ([`ImportOutcome::Unchanged`]).
    pub async fn import_watchlist(
        &self,
        list: ListVersion,
        max_shrink: f64,
    ) -> Result<ImportOutcome, DomainError> {
        let in_force = self.repository.current_watchlists().await?;
        let replaced = match in_force
            .into_iter()
            .find(|summary| summary.name == list.name)
        {
            Some(summary) => Some((self.stored_list(summary.id).await?, summary)),
            None => None,
        };
        if let Some((previous, summary)) = &replaced {
            if previous.published == list.published && previous.entries == list.entries {
                return Ok(ImportOutcome::Unchanged(summary.clone()));
            }
        }
        check_replacement(replaced.as_ref().map(|(list, _)| list), &list, max_shrink).map_err(
            |error| DomainError::Invalid {
                code: ErrorCode::InvalidBody,
                message: format!("{} is not imported: {error}", list.name),
            },
        )?;
        let content = serde_json::to_string(&list)
            .map_err(|error| DomainError::Internal(format!("list as JSON: {error}")))?;
        let counts = list.counts();
        let summary = WatchlistSummary {
            id: crate::random::new_id(self.random.as_ref()),
            name: list.name.clone(),
            source: list.source.clone(),
            published: list.published,
            imported_at: self.clock.now(),
            entries: counts.entries as u64,
        };
        self.repository
            .insert_watchlist(&StoredWatchlist {
                summary: summary.clone(),
                content,
            })
            .await?;
        // A list's first version adds every entry.
        let (replaced, rescreen) = match replaced {
            Some((previous, replaced)) => {
                let changes = diff(&previous, &list);
                let counts = (
                    replaced,
                    changes.added.len(),
                    changes.changed.len(),
                    changes.removed.len(),
                );
                (Some(counts), changes.to_rescreen())
            }
            None => (
                None,
                list.entries.iter().map(|entry| entry.id.clone()).collect(),
            ),
        };
        let monitoring = self
            .monitor(&summary, rescreen.into_iter().collect())
            .await?;
        Ok(ImportOutcome::Imported(Box::new(ImportReport {
            list: summary,
            counts,
            replaced,
            monitoring,
        })))
    }

    /// The versions in force.
    pub async fn watchlists(&self) -> Result<Vec<WatchlistSummary>, DomainError> {
        Ok(self.repository.current_watchlists().await?)
    }

    async fn stored_list(&self, id: Uuid) -> Result<ListVersion, DomainError> {
        let content = self
            .repository
            .watchlist_content(id)
            .await?
            .ok_or_else(|| DomainError::Internal(format!("watchlist {id} has no content")))?;
        serde_json::from_str(&content).map_err(|error| {
            DomainError::Internal(format!("watchlist {id} does not parse: {error}"))
        })
    }

    /// The version in force of the list named `name`, with its entries (an OpenSanctions
    /// delta file applies to it).
    pub async fn watchlist_in_force(&self, name: &str) -> Result<Option<ListVersion>, DomainError> {
        let in_force = self.repository.current_watchlists().await?;
        match in_force.into_iter().find(|summary| summary.name == name) {
            Some(summary) => Ok(Some(self.stored_list(summary.id).await?)),
            None => Ok(None),
        }
    }

    /// The screener, its index made current, and the lists in force it holds.
    pub(super) async fn indexed_lists(
        &self,
    ) -> Result<(&Arc<dyn Screener>, Vec<WatchlistSummary>), ScreeningFailure> {
        let technical =
            |error: &dyn std::fmt::Display| ScreeningFailure::Technical(error.to_string());
        let screener = self.screener.as_ref().ok_or(ScreeningFailure::NoLists)?;
        let lists = self
            .repository
            .current_watchlists()
            .await
            .map_err(|error| technical(&error))?;
        if lists.is_empty() {
            return Err(ScreeningFailure::NoLists);
        }
        let ids: Vec<Uuid> = lists.iter().map(|list| list.id).collect();
        if screener.indexed() != ids {
            let mut versions = Vec::with_capacity(lists.len());
            for list in &lists {
                let content = self
                    .repository
                    .watchlist_content(list.id)
                    .await
                    .map_err(|error| technical(&error))?
                    .ok_or_else(|| {
                        ScreeningFailure::Technical(format!("watchlist {} is gone", list.id))
                    })?;
                versions.push((list.id, content));
            }
            screener
                .load(versions)
                .await
                .map_err(|error| technical(&error))?;
        }
        Ok((screener, lists))
    }

    /// The matches of `query` over the lists in force, and those lists; nothing is stored
    /// (`verifyd screening search`).
    pub async fn search_in_force(
        &self,
        query: &ScreeningQuery,
        profile: &ScreeningProfile,
    ) -> Result<(Vec<WatchlistSummary>, Vec<Match>, f64), ScreeningFailure> {
        let technical =
            |error: &dyn std::fmt::Display| ScreeningFailure::Technical(error.to_string());
        let (screener, lists) = self.indexed_lists().await?;
        let mut options = SearchOptions::default();
        if let Some(threshold) = profile.threshold {
            options.threshold = threshold;
        }
        let threshold = options.threshold;
        // The profile's lists, every one of them in force; the report names those searched.
        let lists = match &profile.lists {
            Some(names) => {
                if let Some(missing) = names
                    .iter()
                    .find(|name| !lists.iter().any(|list| &list.name == *name))
                {
                    return Err(ScreeningFailure::UnknownList(missing.clone()));
                }
                options.lists = Some(names.iter().cloned().collect());
                lists
                    .into_iter()
                    .filter(|list| names.contains(&list.name))
                    .collect()
            }
            None => lists,
        };
        let matches = screener
            .search(
                Query {
                    name: query.name.clone(),
                    date_of_birth: query.date_of_birth,
                    nationality: query.nationality.clone(),
                    gender: query.gender,
                },
                options,
            )
            .await
            .map_err(|error| match error {
                ScreenerError::Query(error) => ScreeningFailure::NotEnoughData(error),
                other => technical(&other),
            })?;
        Ok((lists, matches, threshold))
    }

    /// Searches the lists in force for `query` with the tenant's profile, or the named search
    /// profile the request chose, and stores the search for `screened`'s tenant. Matches the
    /// tenant reviewed as false positives for the account are set aside while their entry is
    /// unchanged (the report lists them under `reviewed`).
    pub async fn screen(
        &self,
        screened: Screened,
        query: &ScreeningQuery,
        search_profile: Option<&str>,
    ) -> Result<SearchDone, ScreeningFailure> {
        let technical =
            |error: &dyn std::fmt::Display| ScreeningFailure::Technical(error.to_string());
        let tenant = screened.tenant_id;
        let mut profile = self
            .repository
            .screening_profile(tenant)
            .await
            .map_err(|error| technical(&error))?
            .unwrap_or_default();
        if let Some(name) = search_profile {
            let named = self
                .repository
                .search_profile(tenant, name)
                .await
                .map_err(|error| technical(&error))?
                .ok_or_else(|| ScreeningFailure::UnknownProfile(name.to_owned()))?;
            profile.lists = named.lists;
            profile.threshold = named.threshold;
        }
        let (lists, matches, threshold) = self.search_in_force(query, &profile).await?;
        let (matches, reviewed) = match screened.account_id {
            Some(account) => {
                let reviews = self
                    .repository
                    .screening_reviews(tenant, Some(account))
                    .await
                    .map_err(|error| technical(&error))?;
                set_aside_reviewed(matches, &reviews)
            }
            None => (matches, Vec::new()),
        };
        let mut report = report_json(query, &lists, &matches, threshold);
        if !reviewed.is_empty() {
            if let Some(fields) = report.as_object_mut() {
                fields.insert(
                    "reviewed".to_owned(),
                    reviewed.iter().map(match_json).collect::<Vec<_>>().into(),
                );
            }
        }
        let stamp = self.stamp(&mut report);
        let done = SearchDone {
            id: stamp.id,
            at: stamp.at,
            reference: stamp.reference,
            results: matches.len() as u64,
            report,
            status: profile.search_status,
        };
        self.repository
            .record_screening_search(
                &StoredScreeningSearch {
                    id: done.id,
                    tenant_id: tenant,
                    account_id: screened.account_id,
                    execution_id: screened.execution_id,
                    created_at: done.at,
                    results: done.results,
                    report: done.report.to_string(),
                },
                None,
            )
            .await
            .map_err(|error| technical(&error))?;
        Ok(done)
    }

    /// A new search's id, time and `searchReference`, written into its report.
    pub(super) fn stamp(&self, report: &mut Value) -> Stamp {
        let id = crate::random::new_id(self.random.as_ref());
        let at = self.clock.now();
        // When and which search, readable in a log without the id.
        let reference = format!("{}-{}", at.timestamp(), &id.simple().to_string()[..8]);
        if let Some(fields) = report.as_object_mut() {
            fields.insert("id".to_owned(), id.to_string().into());
            fields.insert("searchDate".to_owned(), crate::timestamp::format(at).into());
            fields.insert("searchReference".to_owned(), reference.clone().into());
        }
        Stamp { id, at, reference }
    }

    /// Marks a match of one of the tenant's searches as a reviewed false positive for the
    /// search's account: later searches of the account (workflows and monitoring) set it aside
    /// until the list publishes the entry changed.
    pub async fn review_screening_match(
        &self,
        caller: &Caller,
        search: Uuid,
        list: &str,
        entry_id: &str,
    ) -> Result<ScreeningReview, DomainError> {
        require(caller, Scope::Initiate)?;
        let found = self
            .repository
            .screening_search(caller.tenant_id, search)
            .await?
            .ok_or(DomainError::NotFound(Resource::ScreeningSearch))?;
        let account_id = found.account_id.ok_or_else(|| DomainError::Conflict {
            code: ErrorCode::InvalidBody,
            message: "a one-off search has no account to remember a review for".to_owned(),
        })?;
        let report: Value = serde_json::from_str(&found.report)
            .map_err(|error| DomainError::Internal(format!("search {search}: {error}")))?;
        let entry_version = report["matches"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|found| found["list"] == list && found["entryId"] == entry_id)
            .and_then(|found| found["entryVersion"].as_str())
            .ok_or_else(|| {
                DomainError::from(crate::rules::FieldError::new(
                    "entryId",
                    "is not a match of this search in that list",
                ))
            })?;
        let review = ScreeningReview {
            tenant_id: caller.tenant_id,
            account_id,
            list: list.to_owned(),
            entry_id: entry_id.to_owned(),
            entry_version: entry_version.to_owned(),
            search_id: search,
            reviewed_at: self.clock.now(),
        };
        self.repository.insert_screening_review(&review).await?;
        Ok(review)
    }

    /// A search made without a document (`POST /api/v1/screening/searches`), stored like the
    /// workflow's.
    pub async fn search_watchlists(
        &self,
        caller: &Caller,
        query: &ScreeningQuery,
        search_profile: Option<&str>,
    ) -> Result<SearchDone, DomainError> {
        require(caller, Scope::Initiate)?;
        let screened = Screened {
            tenant_id: caller.tenant_id,
            account_id: None,
            execution_id: None,
        };
        self.screen(screened, query, search_profile)
            .await
            .map_err(|failure| match failure {
                ScreeningFailure::NotEnoughData(error) => DomainError::Invalid {
                    code: ErrorCode::InvalidField,
                    message: format!("name: {error}"),
                },
                ScreeningFailure::NoLists
                | ScreeningFailure::UnknownList(_)
                | ScreeningFailure::UnknownProfile(_) => DomainError::Conflict {
                    code: ErrorCode::InvalidBody,
                    message: failure.to_string(),
                },
                ScreeningFailure::Technical(message) => DomainError::Internal(message),
            })
    }

    /// Sets how `tenant` is screened; the lists need not be loaded yet (a search says so until
    /// they are).
    pub async fn set_screening_profile(
        &self,
        tenant: Uuid,
        profile: &ScreeningProfile,
    ) -> Result<(), DomainError> {
        check_profile(profile)?;
        Ok(self
            .repository
            .set_screening_profile(tenant, profile)
            .await?)
    }

    /// Sets (or removes, with `None`) one of `tenant`'s named search profiles: the lists and
    /// threshold a request that names it searches with.
    pub async fn set_search_profile(
        &self,
        tenant: Uuid,
        name: &str,
        profile: Option<&ScreeningProfile>,
    ) -> Result<(), DomainError> {
        let name = crate::rules::screening_options::profile_name(name)
            .map_err(|message| crate::rules::FieldError::new("profile", message))?;
        if let Some(profile) = profile {
            check_profile(profile)?;
        }
        Ok(self
            .repository
            .set_search_profile(tenant, &name, profile)
            .await?)
    }

    /// `tenant`'s named search profiles, by name.
    pub async fn search_profiles(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<(String, ScreeningProfile)>, DomainError> {
        Ok(self.repository.search_profiles(tenant).await?)
    }

    /// The tenant's screening profile, or the default one.
    pub async fn screening_profile(&self, tenant: Uuid) -> Result<ScreeningProfile, DomainError> {
        Ok(self
            .repository
            .screening_profile(tenant)
            .await?
            .unwrap_or_default())
    }

    /// The searches of one of the caller's accounts, oldest first: its workflows' and those
    /// ongoing monitoring made (`monitoring` in the report).
    pub async fn account_screening_searches(
        &self,
        caller: &Caller,
        account: Uuid,
    ) -> Result<Vec<Value>, DomainError> {
        require(caller, Scope::Retrieve)?;
        self.repository
            .account(caller.tenant_id, account)
            .await?
            .ok_or(DomainError::NotFound(Resource::Account))?;
        self.repository
            .screening_searches_of(caller.tenant_id, account)
            .await?
            .into_iter()
            .map(|found| {
                serde_json::from_str(&found.report)
                    .map_err(|error| DomainError::Internal(format!("search {}: {error}", found.id)))
            })
            .collect()
    }

    /// A stored search of the caller's tenant: its query, the list versions searched and every
    /// match with its reasons.
    pub async fn screening_search(&self, caller: &Caller, id: Uuid) -> Result<Value, DomainError> {
        require(caller, Scope::Retrieve)?;
        let found = self
            .repository
            .screening_search(caller.tenant_id, id)
            .await?
            .ok_or(DomainError::NotFound(Resource::ScreeningSearch))?;
        serde_json::from_str(&found.report)
            .map_err(|error| DomainError::Internal(format!("search {id}: {error}")))
    }
}

/// The report of a search, as stored and as `GET /api/v1/screening/searches/{id}` shows it.
pub fn report_json(
    query: &ScreeningQuery,
    lists: &[WatchlistSummary],
    matches: &[Match],
    threshold: f64,
) -> Value {
    json!({
        "query": query_json(query),
        "threshold": threshold,
        "lists": lists.iter().map(list_json).collect::<Vec<_>>(),
        "searchResults": matches.len(),
        "matches": matches.iter().map(match_json).collect::<Vec<_>>(),
    })
}

fn query_json(query: &ScreeningQuery) -> Value {
    json!({
        "name": query.name,
        "dateOfBirth": query.date_of_birth,
        "nationality": query.nationality,
        "gender": query.gender,
    })
}

fn list_json(list: &WatchlistSummary) -> Value {
    json!({
        "id": list.id.to_string(),
        "name": list.name,
        "source": list.source,
        "published": list.published.map(|date| date.to_string()),
        "importedAt": crate::timestamp::format(list.imported_at),
        "entries": list.entries,
    })
}

fn match_json(found: &Match) -> Value {
    json!({
        "list": found.list,
        "entryId": found.entry_id,
        "entryKind": found.entry_kind,
        "entryName": found.entry_name,
        "matchedName": found.matched_name,
        "matchedKind": found.matched_kind,
        "score": (found.score * 1000.0).round() / 1000.0,
        "programmes": found.programmes,
        "reasons": found.reasons,
        "entryVersion": found.entry_version,
    })
}
