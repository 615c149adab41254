-- Chats and users the bot has seen, and which users are members of which groups (for /groups).
CREATE TABLE chats (
    chat_id     bigint      PRIMARY KEY,
    chat_type   text        NOT NULL CHECK (chat_type IN ('private', 'group', 'supergroup', 'channel')),
    title       text,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    user_id        bigint      PRIMARY KEY,
    username       text,
    first_name     text        NOT NULL DEFAULT '',
    language_code  text,
    is_bot         boolean     NOT NULL DEFAULT false,
    first_seen     timestamptz NOT NULL DEFAULT now(),
    last_seen      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE group_memberships (
    chat_id     bigint      NOT NULL REFERENCES chats (chat_id) ON DELETE CASCADE,
    user_id     bigint      NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    status      text        NOT NULL DEFAULT 'member',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, user_id)
);

CREATE INDEX group_memberships_by_user ON group_memberships (user_id);
