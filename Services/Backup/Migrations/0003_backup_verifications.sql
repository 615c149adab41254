-- Every verification of a backup (after the backup, on its own schedule, on request); backup_catalog keeps the latest.
CREATE TABLE backup_verifications (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    backup_id   uuid        NOT NULL REFERENCES backup_catalog (backup_id) ON DELETE CASCADE,
    verified_at timestamptz NOT NULL,
    trigger     text        NOT NULL,
    status      text        NOT NULL,
    detail      text        NOT NULL
);

CREATE INDEX backup_verifications_by_backup ON backup_verifications (backup_id, verified_at DESC);
