-- The ops audit log every service keeps in its own database (ServiceDefaults' shared script; versions from 9001 are
-- reserved for these). Append-only, enforced here: a row is never deleted, the table never truncated, and a row's
-- who/what/when never changes. The one change allowed is the one an action makes when it ends: its row, written
-- before the action ran with outcome 'pending', gets its final outcome once. Idempotent: a database restored from a
-- backup older than this script has no record of it, but keeps the live table (an in-place restore leaves it alone).
CREATE TABLE IF NOT EXISTS ops_audit (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    service      text        NOT NULL,
    actor        text        NOT NULL,
    source       text        NOT NULL,
    action       text        NOT NULL,
    target       text,
    outcome      text        NOT NULL CHECK (outcome IN ('pending', 'succeeded', 'failed', 'refused')),
    status       integer,
    detail       text,
    completed_at timestamptz
);

CREATE INDEX IF NOT EXISTS ops_audit_at ON ops_audit (at, id);

CREATE OR REPLACE FUNCTION ops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.outcome = 'pending' AND NEW.outcome <> 'pending' AND OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL
           AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.service = OLD.service AND NEW.actor = OLD.actor
           AND NEW.source = OLD.source AND NEW.action = OLD.action AND NEW.target IS NOT DISTINCT FROM OLD.target THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'ops_audit is append-only: % is not allowed', TG_OP USING ERRCODE = '42501';
END
$$;

CREATE OR REPLACE TRIGGER ops_audit_append_only BEFORE UPDATE OR DELETE ON ops_audit
    FOR EACH ROW EXECUTE FUNCTION ops_audit_append_only();

CREATE OR REPLACE TRIGGER ops_audit_no_truncate BEFORE TRUNCATE ON ops_audit
    FOR EACH STATEMENT EXECUTE FUNCTION ops_audit_append_only();
