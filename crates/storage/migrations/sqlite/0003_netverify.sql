-- Executions started through the netverify v4 API, and the capture method of the web client.

ALTER TABLE workflow_executions ADD COLUMN api TEXT NOT NULL DEFAULT 'KYX';
ALTER TABLE workflow_executions ADD COLUMN capture_method TEXT NOT NULL DEFAULT 'CAMERA_AND_UPLOAD';

-- A netverify callback is form-encoded and carries the result; a KYX one is JSON with hrefs.
ALTER TABLE callbacks ADD COLUMN api TEXT NOT NULL DEFAULT 'KYX';
