-- 0003: a community's own time zone (empty: the deployment's GRIDMAP_TZ), and the
-- source's own status word of an imported report whose status was mapped.
ALTER TABLE community ADD COLUMN tz text;
ALTER TABLE reports ADD COLUMN status_text text;
