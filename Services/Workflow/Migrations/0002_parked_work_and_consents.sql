-- Parked work carries its retry state; applied operations are remembered by idempotency key so nothing runs twice.
ALTER TABLE parked_operations
    ADD COLUMN state           text        NOT NULL DEFAULT 'parked',
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    ADD COLUMN last_error      text,
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN applied_at      timestamptz,
    ADD COLUMN discarded_at    timestamptz;

DROP INDEX parked_operations_waiting;
CREATE INDEX parked_operations_due ON parked_operations (next_attempt_at) WHERE state = 'parked';

CREATE TABLE applied_operations (
    operation_id text        PRIMARY KEY,
    kind         text        NOT NULL,
    result       jsonb       NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now()
);

-- Consent recorded by the onboarding process's record-consent job.
CREATE TABLE consents (
    user_id              bigint      PRIMARY KEY,
    consented            boolean     NOT NULL,
    process_instance_key text        NOT NULL,
    recorded_at          timestamptz NOT NULL DEFAULT now()
);
