-- A tenant's data retention (the portal's "Data Retention"): how many days after its creation
-- a transaction in a final state is purged (NULL: kept forever), and whether transactions
-- denied as fraud are purged too (kept by default). A tenant without a row has the portal's
-- default, 360 days with fraud kept. Tenants that existed before retention kept everything, and
-- get a row that keeps it so: an upgrade deletes nothing by itself.
CREATE TABLE retention_settings (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    days BIGINT,
    delete_fraud BIGINT NOT NULL DEFAULT 0
);
INSERT INTO retention_settings (tenant_id, days, delete_fraud) SELECT id, NULL, 0 FROM tenants;

-- What a retention sweep reads: a tenant's finished transactions, oldest first.
CREATE INDEX workflow_executions_by_tenant_created ON workflow_executions (tenant_id, created_at, id);
