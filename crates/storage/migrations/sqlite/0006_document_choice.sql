-- The document the end user chose in the web client (JSON {country, idType}), kept apart from
-- the customer's presets, which stay as the customer sent them.
ALTER TABLE credentials ADD COLUMN chosen_document TEXT;
