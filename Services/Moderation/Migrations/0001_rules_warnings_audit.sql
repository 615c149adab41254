-- Per-chat rules, warnings given to members, and an append-only audit log of every action.
CREATE TABLE chat_rules (
    chat_id        bigint      PRIMARY KEY,
    rules          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_by     bigint,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warnings (
    warning_id  uuid        PRIMARY KEY,
    chat_id     bigint      NOT NULL,
    user_id     bigint      NOT NULL,
    reason      text        NOT NULL,
    issued_by   bigint,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz
);

CREATE INDEX warnings_by_member ON warnings (chat_id, user_id, issued_at DESC);

CREATE TABLE audit_log (
    audit_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id    uuid        NOT NULL UNIQUE,
    action       text        NOT NULL,
    chat_id      bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    message_id   bigint,
    until        timestamptz,
    reason       text        NOT NULL,
    actor        text        NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_by_chat ON audit_log (chat_id, recorded_at DESC);
