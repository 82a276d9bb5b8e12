-- The PostgreSQL schema: the same tables as SQLite's six migrations, as one (this backend starts
-- with them all). Identifiers are UUID, instants are milliseconds since the epoch (BIGINT, as on
-- SQLite: one precision for both backends), JSON documents are TEXT (stored and read back as
-- written; nothing queries inside them), lists of names are TEXT[], every integer is BIGINT.

CREATE TABLE tenants (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    accepted_id_types TEXT,
    callback_url TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_clients (
    client_id TEXT PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    scopes TEXT[] NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX api_clients_by_tenant ON api_clients (tenant_id);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX accounts_by_tenant ON accounts (tenant_id);

CREATE TABLE workflow_executions (
    id UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tenant_id UUID NOT NULL,
    definition_key BIGINT NOT NULL,
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
    outcome TEXT,
    -- KYX, or NETVERIFY_V4 for executions started through the netverify v4 API.
    api TEXT NOT NULL DEFAULT 'KYX',
    capture_method TEXT NOT NULL DEFAULT 'CAMERA_AND_UPLOAD'
);
CREATE INDEX workflow_executions_by_account ON workflow_executions (account_id);
CREATE INDEX workflow_executions_by_status ON workflow_executions (status, token_expires_at);

CREATE TABLE credentials (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id UUID NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    country_preset TEXT,
    type_preset TEXT,
    -- The document the end user chose in the web client (JSON {country, idType}), kept apart
    -- from the customer's presets.
    chosen_document TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX credentials_by_account ON credentials (account_id);
CREATE INDEX credentials_by_execution ON credentials (execution_id);

-- Which credentials an execution uses, in order: its own, and (workflow 5) one on file.
CREATE TABLE workflow_execution_credentials (
    execution_id UUID NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    credential_id UUID NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    allowed_channels TEXT[] NOT NULL,
    PRIMARY KEY (execution_id, credential_id)
);
CREATE INDEX workflow_execution_credentials_by_credential ON workflow_execution_credentials (credential_id);

CREATE TABLE parts (
    credential_id UUID NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    classifier TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (credential_id, classifier)
);

-- Durable work, written in the transaction that makes it due (finalize writes "process").
-- Claims take the oldest due row with FOR UPDATE SKIP LOCKED (see postgres/jobs.rs).
CREATE TABLE jobs (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    execution_id UUID NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT,
    lease_token UUID,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at);
CREATE INDEX jobs_by_execution ON jobs (execution_id);

-- Blob prefixes whose records are deleted but whose bytes may still be on the blob store.
CREATE TABLE blob_deletions (
    prefix TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- The callback outbox. Callbacks keep what their body needs, not a reference: they outlive a
-- deleted execution.
CREATE TABLE callbacks (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL,
    account_id UUID NOT NULL,
    execution_id UUID NOT NULL,
    definition_key BIGINT NOT NULL,
    status TEXT NOT NULL,
    user_reference TEXT,
    url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT,
    lease_token UUID,
    delivered_at BIGINT,
    gave_up_at BIGINT,
    -- A netverify callback is form-encoded and carries the result; a KYX one is JSON with hrefs.
    api TEXT NOT NULL DEFAULT 'KYX'
);
CREATE INDEX callbacks_due ON callbacks (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX callbacks_by_execution ON callbacks (execution_id);
CREATE INDEX callbacks_by_account ON callbacks (account_id);

CREATE TABLE callback_attempts (
    callback_id UUID NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    attempt BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (callback_id, attempt)
);

-- Verified documents by fingerprint (a keyed SHA-256 of tenant, country, type and number; never
-- the number itself), so that the same document under another account of the tenant is caught.
-- They go with the account.
CREATE TABLE document_fingerprints (
    tenant_id UUID NOT NULL,
    fingerprint TEXT NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id UUID NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, fingerprint, account_id)
);
CREATE INDEX document_fingerprints_by_account ON document_fingerprints (account_id);

-- The random challenge a capture sequence must perform (issued per FACEMAP credential; a new
-- one replaces the old), the fingerprints of every captured frame, so that frames uploaded
-- again in another session are recognised (replay), and the face templates of passed
-- identities, for the duplicate search. All go with their credential, execution or account.
CREATE TABLE liveness_challenges (
    credential_id UUID PRIMARY KEY REFERENCES credentials (id) ON DELETE CASCADE,
    tenant_id UUID NOT NULL,
    turns TEXT[] NOT NULL,
    issued_at BIGINT NOT NULL
);

CREATE TABLE liveness_frames (
    tenant_id UUID NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id UUID NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    -- The frame's 64-bit fingerprint, its bits as a signed BIGINT.
    fingerprint BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (execution_id, fingerprint)
);
CREATE INDEX liveness_frames_by_tenant ON liveness_frames (tenant_id);
CREATE INDEX liveness_frames_by_account ON liveness_frames (account_id);

CREATE TABLE face_templates (
    tenant_id UUID NOT NULL,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id UUID NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    template TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (execution_id)
);
CREATE INDEX face_templates_by_tenant ON face_templates (tenant_id);
CREATE INDEX face_templates_by_account ON face_templates (account_id);
