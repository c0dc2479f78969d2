-- 0002: the assignment rule of DESIGN.md §3 for one report at a time, and a trigger
-- that applies it to every report inserted (or moved) by anyone else, e.g. QGIS.
--
-- The store assigns its own inserts set-wise (queries/assign_grids.sql,
-- queries/assign_buildings.sql) and marks its transaction with
-- gridmap.assigning = 'on' so that the trigger steps aside; both implement the
-- same rule and tests/test_postgis.py checks that they agree with geo/assign.py:
--   grid:     the grid covering the point, boundary included (ST_Covers), lowest
--             grid_id in code-point order on ties; none outside every grid;
--   building: the footprint covering the point (lowest building_id), else the
--             nearest footprint within the radius, in metres in the UTM zone of the
--             community's buildings (distances within a micrometre are equal, as
--             geo.assign.TIE_TOLERANCE_M says; then the lowest building_id), else none.
-- Functions with a SQL-standard body are bound to this schema's tables when created.

-- EPSG code of the WGS 84 UTM zone of a community's buildings, exactly as
-- geo.assign.assign_buildings chooses it: geo.crs.local_utm_epsg of the centre of
-- the footprints' total bounds.
CREATE FUNCTION gridmap_metric_srid(p_community text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN (e.ymin + e.ymax) / 2 >= 0 THEN 32600 ELSE 32700 END
           + LEAST(GREATEST(floor(((e.xmin + e.xmax) / 2 + 180) / 6)::integer + 1, 1), 60)
      FROM (SELECT min(ST_XMin(b.geom)) AS xmin, max(ST_XMax(b.geom)) AS xmax,
                   min(ST_YMin(b.geom)) AS ymin, max(ST_YMax(b.geom)) AS ymax
              FROM buildings AS b
             WHERE b.community_id = p_community) AS e;
END;

CREATE FUNCTION gridmap_grid_for(p_community text, p_geom geometry) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT g.grid_id
      FROM grids AS g
     WHERE g.community_id = p_community
       AND ST_Covers(g.geom, p_geom)
     ORDER BY g.grid_id COLLATE "C"
     LIMIT 1;
END;

-- The bounding-box prefilter is twice the radius converted to degrees, far more than
-- any UTM scale error; the metric test decides.
CREATE FUNCTION gridmap_building_for(
    p_community text, p_geom geometry, p_radius_m double precision
) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(
        (SELECT b.building_id
           FROM buildings AS b
          WHERE b.community_id = p_community
            AND ST_Covers(b.geom, p_geom)
          ORDER BY b.building_id COLLATE "C"
          LIMIT 1),
        (SELECT c.building_id
           FROM (SELECT d.building_id, d.distance, min(d.distance) OVER () AS best
                   FROM (SELECT b.building_id,
                                ST_Distance(ST_Transform(b.geom, z.srid),
                                            ST_Transform(p_geom, z.srid)) AS distance
                           FROM buildings AS b,
                                (SELECT gridmap_metric_srid(p_community) AS srid) AS z
                          WHERE p_radius_m > 0
                            AND b.community_id = p_community
                            AND b.geom && ST_Expand(
                                    p_geom,
                                    2 * p_radius_m / (111320 * cos(radians(
                                        LEAST(89.0, abs(ST_Y(p_geom)) + 0.01)))),
                                    2 * p_radius_m / 110574.0)
                            AND ST_DWithin(ST_Transform(b.geom, z.srid),
                                           ST_Transform(p_geom, z.srid), p_radius_m)) AS d
                ) AS c
          WHERE c.distance <= c.best + 1e-6
          ORDER BY c.building_id COLLATE "C"
          LIMIT 1));
END;

-- Reports inserted by anyone but the store's bulk statements (QGIS, psql, another
-- program) are assigned here; so are reports whose point or community is changed.
-- The radius is gridmap.building_radius_m when set (ALTER DATABASE ... SET), else 30 m.
CREATE FUNCTION gridmap_assign_report() RETURNS trigger
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.grid_id := gridmap_grid_for(NEW.community_id, NEW.geom);
    NEW.building_id := gridmap_building_for(
        NEW.community_id,
        NEW.geom,
        coalesce(nullif(current_setting('gridmap.building_radius_m', true), '')::double precision,
                 30));
    RETURN NEW;
END
$$;

CREATE TRIGGER reports_assign
    BEFORE INSERT OR UPDATE OF geom, community_id ON reports
    FOR EACH ROW
    WHEN (current_setting('gridmap.assigning', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION gridmap_assign_report();
