-- Camunda process instances Atlas started, and work parked until an operator resumes it.
CREATE TABLE tracked_instances (
    process_instance_key  bigint      PRIMARY KEY,
    process_definition_id text        NOT NULL,
    business_key          text,
    chat_id               bigint,
    state                 text        NOT NULL DEFAULT 'active',
    started_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE parked_operations (
    operation_id  text        PRIMARY KEY,
    kind          text        NOT NULL,
    payload       jsonb       NOT NULL,
    reason        text        NOT NULL,
    chat_id       bigint,
    parked_at     timestamptz NOT NULL DEFAULT now(),
    resumed_at    timestamptz,
    resumed_by    bigint
);

CREATE INDEX parked_operations_waiting ON parked_operations (parked_at) WHERE resumed_at IS NULL;
