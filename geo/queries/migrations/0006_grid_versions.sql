-- 0006: versions of grids (the planner's grid editor, geo/grids).
--
-- grid_versions has one row per version of a community's grids: when it was saved,
-- by whom, the note, how it came to be (kind: saved in the editor; found in the store
-- at the first save; changed outside the editor and kept before the next save), how
-- many grids and a fingerprint of them (geo/store/grid_versions.py). Its primary key
-- makes two saves of the same version number impossible even without the lock the
-- save takes.
--
-- grid_history holds the grids of every version, typed like grids, so QGIS can show
-- any version by filtering on version. The grids table keeps the current version's
-- number in its version column. Both carry community_id first in their keys, as
-- every table does (docs/postgis.md).
CREATE TABLE grid_versions (
    community_id text NOT NULL,
    version integer NOT NULL,
    saved_at timestamptz NOT NULL,
    actor text,
    note text,
    kind text NOT NULL DEFAULT 'saved',
    grids integer NOT NULL,
    fingerprint text NOT NULL,
    CONSTRAINT grid_versions_pkey PRIMARY KEY (community_id, version),
    CONSTRAINT grid_versions_kind_check CHECK (kind IN ('saved', 'found', 'outside'))
);

CREATE TABLE grid_history (
    community_id text NOT NULL,
    version integer NOT NULL,
    grid_id text NOT NULL,
    name text,
    worker_name text,
    worker_phone text,
    geom geometry(MultiPolygon, 4326),
    CONSTRAINT grid_history_pkey PRIMARY KEY (community_id, version, grid_id)
);
CREATE INDEX grid_history_geom_idx ON grid_history USING gist (geom);

COMMENT ON TABLE grid_versions IS 'Community Grid Map: versions of the grids (who, when, note).';
COMMENT ON TABLE grid_history IS 'Community Grid Map: the grids of every version; filter on version.';

CREATE TRIGGER grid_versions_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON grid_versions FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER grid_history_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON grid_history FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
