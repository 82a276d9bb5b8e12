-- Each owner's data key (an account's, or a Document Verification transaction's), wrapped by
-- the installation's key-encryption key (`key_id` names which): the personal columns and
-- blobs of the owner are sealed under it. Deleting the row is what makes them unreadable
-- (crypto-shredding), so it has no foreign key that could keep it alive or cascade it away
-- unseen: the deletions remove it explicitly.
CREATE TABLE data_keys (
    owner_id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    wrapped BLOB NOT NULL
);
CREATE INDEX data_keys_by_tenant ON data_keys (tenant_id);
