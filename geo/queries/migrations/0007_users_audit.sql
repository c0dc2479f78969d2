-- 0007: users (sign-in, geo/users.py) and the append-only audit log (geo/store/audit.py).
--
-- Every insert, update and delete of the community's layers and of users is written
-- to audit_log by a row trigger, in the transaction that makes the change, whoever
-- makes it: the app names the person acting in the setting gridmap.actor (empty for
-- QGIS or psql, whose changes are logged all the same). A bulk write by the app (a
-- whole community loaded, a file of reports imported) sets gridmap.audit_bulk and
-- logs one row per table itself. The password hash never reaches the log; users'
-- password_changed_at says when it changed. Updates, deletes and truncation of the
-- log are refused.
CREATE TABLE users (
    name text NOT NULL,
    full_name text,
    role text NOT NULL,
    community_id text,
    grids text,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (name),
    CONSTRAINT users_role_check
        CHECK (role IN ('admin', 'secretary', 'planner', 'renovation', 'grid_worker'))
);

CREATE TABLE audit_log (
    audit_id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text,
    community_id text,
    entity text NOT NULL,
    entity_id text,
    action text NOT NULL,
    before jsonb,
    after jsonb,
    tx text,
    CONSTRAINT audit_log_pkey PRIMARY KEY (audit_id),
    CONSTRAINT audit_log_action_check CHECK (action IN ('insert', 'update', 'delete', 'bulk'))
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

COMMENT ON TABLE users IS 'Community Grid Map: users and their roles (passwords as Argon2 hashes).';
COMMENT ON TABLE audit_log IS 'Community Grid Map: every change, append-only.';

-- TG_ARGV[0]: the key column of the audited table. The log is named with the
-- table's own schema, so the trigger works whatever search_path the session has.
CREATE FUNCTION gridmap_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    some_row jsonb;
BEGIN
    IF current_setting('gridmap.audit_bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) = to_jsonb(NEW) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD) - 'password_hash';
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW) - 'password_hash';
    END IF;
    some_row := coalesce(new_row, old_row);
    EXECUTE format(
        'INSERT INTO %I.audit_log (actor, community_id, entity, entity_id, action, '
        'before, after, tx) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        TG_TABLE_SCHEMA)
    USING nullif(current_setting('gridmap.actor', true), ''),
          some_row ->> 'community_id', TG_TABLE_NAME, some_row ->> TG_ARGV[0],
          lower(TG_OP), old_row, new_row, txid_current()::text;
    RETURN NULL;
END;
$$;

CREATE TRIGGER community_audit AFTER INSERT OR UPDATE OR DELETE ON community
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('community_id');
CREATE TRIGGER grids_audit AFTER INSERT OR UPDATE OR DELETE ON grids
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('grid_id');
CREATE TRIGGER buildings_audit AFTER INSERT OR UPDATE OR DELETE ON buildings
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('building_id');
CREATE TRIGGER chargers_audit AFTER INSERT OR UPDATE OR DELETE ON chargers
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('charger_id');
CREATE TRIGGER drying_areas_audit AFTER INSERT OR UPDATE OR DELETE ON drying_areas
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('area_id');
CREATE TRIGGER reports_audit AFTER INSERT OR UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('report_id');
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION gridmap_audit('name');

CREATE FUNCTION gridmap_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION gridmap_audit_append_only();
