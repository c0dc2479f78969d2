-- Everything the migrations create, for a store that lives in the search path's
-- first schema rather than a schema of its own.
DROP TABLE IF EXISTS community, grids, buildings, chargers, drying_areas, reports,
    report_events, report_photos, grid_versions, grid_history, users, audit_log,
    gridmap_migrations CASCADE;
DROP SEQUENCE IF EXISTS gridmap_data_version;
DROP FUNCTION IF EXISTS gridmap_bump_data_version() CASCADE;
DROP FUNCTION IF EXISTS gridmap_assign_report() CASCADE;
DROP FUNCTION IF EXISTS gridmap_building_for(text, geometry, double precision) CASCADE;
DROP FUNCTION IF EXISTS gridmap_grid_for(text, geometry) CASCADE;
DROP FUNCTION IF EXISTS gridmap_metric_srid(text) CASCADE;
DROP FUNCTION IF EXISTS gridmap_audit() CASCADE;
DROP FUNCTION IF EXISTS gridmap_audit_append_only() CASCADE;
