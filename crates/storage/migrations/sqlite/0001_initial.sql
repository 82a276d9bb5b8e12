-- Instants are milliseconds since the epoch (BIGINT) and identifiers are UUID text, so that the
-- same schema reads the same on PostgreSQL.

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    accepted_id_types TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_clients (
    client_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX accounts_by_tenant ON accounts (tenant_id);

CREATE TABLE workflow_executions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    definition_key INTEGER NOT NULL,
    status TEXT NOT NULL,
    customer_internal_reference TEXT NOT NULL,
    user_reference TEXT,
    reporting_criteria TEXT,
    callback_url TEXT,
    success_url TEXT,
    error_url TEXT,
    locale TEXT,
    user_consent TEXT,
    screening_properties TEXT,
    token_expires_at BIGINT NOT NULL,
    session_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    acquired_at BIGINT,
    completed_at BIGINT,
    outcome TEXT
);
CREATE INDEX workflow_executions_by_account ON workflow_executions (account_id);
CREATE INDEX workflow_executions_by_status ON workflow_executions (status, token_expires_at);

CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id TEXT NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    country_preset TEXT,
    type_preset TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX credentials_by_account ON credentials (account_id);
CREATE INDEX credentials_by_execution ON credentials (execution_id);

-- Which credentials an execution uses, in order: its own, and (workflow 5) one on file.
CREATE TABLE workflow_execution_credentials (
    execution_id TEXT NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    allowed_channels TEXT NOT NULL,
    PRIMARY KEY (execution_id, credential_id)
);
CREATE INDEX workflow_execution_credentials_by_credential ON workflow_execution_credentials (credential_id);

CREATE TABLE parts (
    credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    classifier TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (credential_id, classifier)
);

-- Durable work, written in the transaction that makes it due (finalize writes "process").
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    execution_id TEXT NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    run_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at);

-- Blob prefixes whose records are deleted but whose bytes may still be on the blob store.
CREATE TABLE blob_deletions (
    prefix TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
