-- Updates held while inbound is frozen, replayed in arrival order (seq) at unfreeze. update_id is unique, so an
-- update held twice (Telegram's retry, a second instance) is kept once; a row is deleted once its replay succeeded.
CREATE TABLE held_updates (
    seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    update_id  bigint      NOT NULL UNIQUE,
    chat_key   bigint      NOT NULL,
    episode    bigint      NOT NULL,
    payload    text        NOT NULL,
    attempts   integer     NOT NULL DEFAULT 0,
    held_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX held_updates_chat ON held_updates (chat_key, seq);
