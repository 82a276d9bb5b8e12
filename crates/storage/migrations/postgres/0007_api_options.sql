-- performNetverify's processing options: enabledFields (the names, comma-separated; NULL
-- processes every field) and callbackGranularity. Every other API keeps the defaults.
ALTER TABLE workflow_executions ADD COLUMN enabled_fields TEXT;
ALTER TABLE workflow_executions ADD COLUMN callback_granularity TEXT NOT NULL DEFAULT 'onFinish';
