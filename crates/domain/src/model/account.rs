use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An end user of a tenant; workflow executions run on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
