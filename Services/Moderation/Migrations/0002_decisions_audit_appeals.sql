-- Decisions are recorded once per event; the audit log gains the rule, reasons and a masked excerpt and becomes
-- append-only; Telegram's outcome of each action, trusted members, joins, appeals and ops-wide settings.
ALTER TABLE audit_log
    ADD COLUMN rule      text  NOT NULL DEFAULT 'manual',
    ADD COLUMN reasons   jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN excerpt   text,
    ADD COLUMN event_key text;

CREATE INDEX audit_log_by_time ON audit_log (recorded_at);
CREATE INDEX audit_log_by_member ON audit_log (chat_id, user_id, recorded_at DESC);
CREATE INDEX audit_log_by_message ON audit_log (chat_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX audit_log_by_event ON audit_log (event_key);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- What the gateway reported for an action (first report wins).
CREATE TABLE action_outcomes (
    action_id    uuid        PRIMARY KEY,
    outcome      text        NOT NULL,
    executed_at  timestamptz NOT NULL
);

-- Every handled event (update id, appeal, ...) and the bus messages its decision produced, republished as they are on
-- a redelivery (the gateway executes each action id and idempotency key once).
CREATE TABLE processed_events (
    event_key     text        PRIMARY KEY,
    effects       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    processed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trusted_users (
    chat_id      bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    approved_by  bigint,
    approved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE member_joins (
    chat_id    bigint      NOT NULL,
    user_id    bigint      NOT NULL,
    joined_at  timestamptz NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE appeals (
    appeal_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_key     text        NOT NULL UNIQUE,
    chat_id       bigint      NOT NULL,
    user_id       bigint      NOT NULL,
    action        text        NOT NULL,
    text          text        NOT NULL,
    status        text        NOT NULL DEFAULT 'open',
    submitted_at  timestamptz NOT NULL,
    resolved_by   bigint,
    resolved_at   timestamptz
);

CREATE INDEX appeals_open_by_chat ON appeals (chat_id) WHERE status = 'open';

CREATE TABLE ops_settings (
    name        text        PRIMARY KEY,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
