-- Catalog of backups taken (the same facts are written as a manifest beside each backup file).
CREATE TABLE backup_catalog (
    backup_id     uuid        PRIMARY KEY,
    target        text        NOT NULL,
    location      text        NOT NULL,
    size_bytes    bigint      NOT NULL,
    sha256        text        NOT NULL,
    started_at    timestamptz NOT NULL,
    completed_at  timestamptz NOT NULL,
    verified_at   timestamptz,
    expires_at    timestamptz
);

CREATE INDEX backup_catalog_by_target ON backup_catalog (target, completed_at DESC);
