//! A tenant is one customer of verifyd; its API credentials authenticate every `/api` call.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::IdType;

#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub id: Uuid,
    pub name: String,
    /// The documents this tenant accepts; `None` means every supported one.
    pub accepted_id_types: Option<Vec<AcceptedCountry>>,
    /// Where callbacks go when a workflow execution names no callbackUrl.
    pub callback_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedCountry {
    pub country_code: String,
    pub id_types: Vec<IdType>,
}

/// What an API credential may do. Full credentials hold all four; "transaction administration"
/// credentials typically hold only `retrieve` and `delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Create and update accounts (start workflow executions).
    Initiate,
    /// Upload parts and finalize, as the API channel.
    Acquire,
    /// Read status, details and images.
    Retrieve,
    /// Delete accounts and workflow executions.
    Delete,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::Initiate,
        Scope::Acquire,
        Scope::Retrieve,
        Scope::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Initiate => "initiate",
            Scope::Acquire => "acquire",
            Scope::Retrieve => "retrieve",
            Scope::Delete => "delete",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s.trim())
            .ok_or_else(|| {
                format!("unknown scope {s:?}; expected one of initiate, acquire, retrieve, delete")
            })
    }
}

/// Parses a comma-separated scope list such as `retrieve,delete`.
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = list
        .split(',')
        .filter(|item| !item.trim().is_empty())
        .map(Scope::from_str)
        .collect::<Result<Vec<_>, _>>()?;
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        return Err("at least one scope is needed".to_owned());
    }
    Ok(scopes)
}

/// An API credential: the client id is public, the secret is kept only as an argon2 hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub client_id: String,
    pub tenant_id: Uuid,
    pub secret_hash: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
}

/// Who is calling, once authenticated with tenant credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub tenant_id: Uuid,
    pub client_id: String,
    pub scopes: Vec<Scope>,
}

impl Caller {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}
