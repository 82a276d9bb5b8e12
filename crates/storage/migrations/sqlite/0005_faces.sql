-- The random challenge a capture sequence must perform (issued per FACEMAP credential; a new
-- one replaces the old), the fingerprints of every captured frame, so that frames uploaded
-- again in another session are recognised (replay), and the face templates of passed
-- identities, for the duplicate search. All go with their credential, execution or account.
CREATE TABLE liveness_challenges (
    credential_id TEXT PRIMARY KEY REFERENCES credentials (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    turns TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);

CREATE TABLE liveness_frames (
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id TEXT NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    fingerprint BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (execution_id, fingerprint)
);
CREATE INDEX liveness_frames_by_tenant ON liveness_frames (tenant_id);

CREATE TABLE face_templates (
    tenant_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id TEXT NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    template TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (execution_id)
);
CREATE INDEX face_templates_by_tenant ON face_templates (tenant_id);
