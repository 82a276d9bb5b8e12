-- The Document Verification web client: the initiation's settings for it (where to send the
-- user afterwards, colors, header logo, language, the link's lifetime as sent) and its link's
-- token, kept only as its SHA-256 (hex) with the time it stops opening the transaction. All
-- NULL for transactions made before this migration and for `complete`, which has no link.
ALTER TABLE document_verifications ADD COLUMN success_url TEXT;
ALTER TABLE document_verifications ADD COLUMN error_url TEXT;
ALTER TABLE document_verifications ADD COLUMN authorization_token_lifetime BIGINT;
ALTER TABLE document_verifications ADD COLUMN base_color TEXT;
ALTER TABLE document_verifications ADD COLUMN bg_color TEXT;
ALTER TABLE document_verifications ADD COLUMN header_image_url TEXT;
ALTER TABLE document_verifications ADD COLUMN locale TEXT;
ALTER TABLE document_verifications ADD COLUMN initiation_token_hash TEXT;
ALTER TABLE document_verifications ADD COLUMN initiation_token_expires_at BIGINT;
-- The web client finds its transaction by the token's hash alone.
CREATE UNIQUE INDEX document_verifications_token ON document_verifications (initiation_token_hash)
    WHERE initiation_token_hash IS NOT NULL;
