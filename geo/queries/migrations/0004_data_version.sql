-- 0004: a number that grows whenever any layer changes, by the app or by anyone else
-- (QGIS editing the tables live), so the app can cache what it computes from the
-- layers and know, with one cheap query, when a cache is stale.
--
-- A sequence, not a counter row: nextval never waits for another transaction, so
-- writers do not queue behind each other; a rolled-back write leaves a gap, which
-- only costs one recomputation. The trigger names the sequence with its own schema,
-- so it works whatever search_path the editing session has.
CREATE SEQUENCE gridmap_data_version;

CREATE FUNCTION gridmap_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval(format('%I.gridmap_data_version', TG_TABLE_SCHEMA)::regclass);
    RETURN NULL;
END;
$$;

CREATE TRIGGER community_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON community FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER grids_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON grids FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER buildings_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON buildings FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER chargers_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON chargers FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER drying_areas_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON drying_areas FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER reports_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON reports FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
CREATE TRIGGER report_events_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON report_events FOR EACH STATEMENT EXECUTE FUNCTION gridmap_bump_data_version();
