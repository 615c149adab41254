-- Each backup's manifest, kind and storage, and the outcome of its latest verification.
ALTER TABLE backup_catalog
    ADD COLUMN kind                text  NOT NULL DEFAULT 'Postgres',
    ADD COLUMN storage             text  NOT NULL DEFAULT 'local',
    ADD COLUMN artifact_name       text  NOT NULL DEFAULT '',
    ADD COLUMN trigger             text  NOT NULL DEFAULT 'manual',
    ADD COLUMN manifest            jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN verification_status text  NOT NULL DEFAULT 'pending',
    ADD COLUMN verification_detail text;

-- Bus requests already handled (BackupRequested.RequestId), so a redelivery does not back up twice.
CREATE TABLE backup_requests (
    request_id  uuid        PRIMARY KEY,
    target      text        NOT NULL,
    received_at timestamptz NOT NULL,
    status      text        NOT NULL,
    deliveries  int         NOT NULL DEFAULT 1,
    backup_ids  uuid[]      NOT NULL DEFAULT '{}',
    reason      text
);
