-- Building of every report in {source} (keyed by {key}) by the rule of DESIGN.md §3:
-- the footprint covering the point (lowest building_id in code-point order), else the
-- nearest footprint within radius_m metres, measured in the UTM zone of the
-- community's buildings (gridmap_metric_srid, as geo.assign does it), the lowest
-- building_id among those within tie_m (geo.assign.TIE_TOLERANCE_M) of the
-- nearest; else none (no row here).
--
-- Building by building, like assign_grids.sql: the GiST index of {source} finds the
-- points in each footprint's box, or in the box widened by twice the radius in
-- degrees for the nearest search; the metric distance decides.
CREATE TEMP TABLE _gm_building_hits ON COMMIT DROP AS
WITH scope AS MATERIALIZED (
    SELECT DISTINCT s.community_id
      FROM {source} AS s
     WHERE (%(communities)s::text[] IS NULL OR s.community_id = ANY(%(communities)s))
       AND (NOT %(open_only)s OR s.status = ANY(%(open_statuses)s))
),
covering AS MATERIALIZED (
    SELECT DISTINCT ON (hit.report_key) hit.report_key, b.building_id
      FROM buildings AS b
     CROSS JOIN LATERAL (
            SELECT s.{key} AS report_key
              FROM {source} AS s
             WHERE s.community_id = b.community_id
               AND ST_Covers(b.geom, s.geom)
               AND (%(communities)s::text[] IS NULL OR s.community_id = ANY(%(communities)s))
               AND (NOT %(open_only)s OR s.status = ANY(%(open_statuses)s))
            OFFSET 0) AS hit
     WHERE b.community_id IN (SELECT community_id FROM scope)
     ORDER BY hit.report_key, b.building_id COLLATE "C"
),
metric AS MATERIALIZED (
    SELECT b.community_id,
           b.building_id,
           z.srid,
           ST_Transform(b.geom, z.srid) AS metric_geom,
           ST_Expand(
               b.geom,
               2 * %(radius_m)s / (111320 * cos(radians(LEAST(89.0,
                   GREATEST(abs(ST_YMin(b.geom)), abs(ST_YMax(b.geom))) + 0.01)))),
               2 * %(radius_m)s / 110574.0) AS search_box
      FROM buildings AS b
      JOIN (SELECT community_id, gridmap_metric_srid(community_id) AS srid FROM scope) AS z
        ON z.community_id = b.community_id
     WHERE %(radius_m)s > 0
       AND NOT ST_IsEmpty(b.geom)
),
nearest AS (
    SELECT DISTINCT ON (c.report_key) c.report_key, c.building_id
      FROM (SELECT hit.report_key, m.building_id, hit.distance,
                   min(hit.distance) OVER (PARTITION BY hit.report_key) AS best
              FROM metric AS m
             CROSS JOIN LATERAL (
                    SELECT s.{key} AS report_key,
                           ST_Distance(m.metric_geom, ST_Transform(s.geom, m.srid)) AS distance
                      FROM {source} AS s
                     WHERE s.community_id = m.community_id
                       AND s.geom && m.search_box
                       AND (%(communities)s::text[] IS NULL OR s.community_id = ANY(%(communities)s))
                       AND (NOT %(open_only)s OR s.status = ANY(%(open_statuses)s))
                    OFFSET 0) AS hit
             WHERE hit.distance <= %(radius_m)s
               AND NOT EXISTS (SELECT 1 FROM covering AS c WHERE c.report_key = hit.report_key)
           ) AS c
     WHERE c.distance <= c.best + %(tie_m)s
     ORDER BY c.report_key, c.building_id COLLATE "C"
)
SELECT report_key, building_id FROM covering
UNION ALL
SELECT report_key, building_id FROM nearest
