-- Processing leases, the tenant's default callback URL, and the callback outbox.

ALTER TABLE tenants ADD COLUMN callback_url TEXT;

ALTER TABLE jobs ADD COLUMN lease_token TEXT;
ALTER TABLE jobs ADD COLUMN last_error TEXT;

-- Callbacks keep what their body needs, not a reference: they outlive a deleted execution.
CREATE TABLE callbacks (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    execution_id TEXT NOT NULL,
    definition_key INTEGER NOT NULL,
    status TEXT NOT NULL,
    user_reference TEXT,
    url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until BIGINT,
    lease_token TEXT,
    delivered_at BIGINT,
    gave_up_at BIGINT
);
CREATE INDEX callbacks_due ON callbacks (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX callbacks_by_execution ON callbacks (execution_id);

CREATE TABLE callback_attempts (
    callback_id TEXT NOT NULL REFERENCES callbacks (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (callback_id, attempt)
);
