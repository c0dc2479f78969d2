-- Grid of every report in {source} (keyed by {key}) by the rule of DESIGN.md §3:
-- the grid covering the point, boundary included (ST_Covers), the lowest grid_id in
-- code-point order (COLLATE "C", as Python compares strings) when several do.
-- Reports outside every grid get no row here and stay unassigned.
--
-- Set-wise and grid by grid: for each grid of a community in scope, the GiST index
-- of {source} finds the points in its box and ST_Covers keeps the covered ones, with
-- the grid's polygon prepared once for all of them (OFFSET 0 keeps that join order).
-- Filters (the same in every assign_* query): communities (NULL for all) and
-- open_only with open_statuses.
CREATE TEMP TABLE _gm_grid_hits ON COMMIT DROP AS
SELECT DISTINCT ON (hit.report_key) hit.report_key, g.grid_id
  FROM grids AS g
 CROSS JOIN LATERAL (
        SELECT s.{key} AS report_key
          FROM {source} AS s
         WHERE s.community_id = g.community_id
           AND ST_Covers(g.geom, s.geom)
           AND (%(communities)s::text[] IS NULL OR s.community_id = ANY(%(communities)s))
           AND (NOT %(open_only)s OR s.status = ANY(%(open_statuses)s))
        OFFSET 0) AS hit
 WHERE g.community_id IN (
        SELECT s.community_id
          FROM {source} AS s
         WHERE (%(communities)s::text[] IS NULL OR s.community_id = ANY(%(communities)s))
           AND (NOT %(open_only)s OR s.status = ANY(%(open_statuses)s)))
 ORDER BY hit.report_key, g.grid_id COLLATE "C"
