-- Update handling: who passed the password gate, whether the bot itself is still in a chat (for /groups),
-- and which moderation actions were executed (so a redelivered ModerationActionRequested does nothing).
ALTER TABLE chats ADD COLUMN bot_member boolean NOT NULL DEFAULT true;

CREATE TABLE authorized_users (
    user_id        bigint      PRIMARY KEY,
    authorized_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE moderation_actions_executed (
    action_id    uuid        PRIMARY KEY,
    action       text        NOT NULL,
    chat_id      bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    outcome      text        NOT NULL,
    executed_at  timestamptz NOT NULL DEFAULT now()
);
