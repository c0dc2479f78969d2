-- How many reports were in scope, how many have a grid (found now, or chosen by hand
-- where none was found) and how many a building.
SELECT (SELECT count(*)
          FROM reports AS t
         WHERE (%(communities)s::text[] IS NULL OR t.community_id = ANY(%(communities)s))
           AND (NOT %(open_only)s OR t.status = ANY(%(open_statuses)s))),
       (SELECT count(*) FROM _gm_grid_hits)
       + (SELECT count(*)
            FROM reports AS t
           WHERE t.grid_by_hand
             AND t.grid_id IS NOT NULL
             AND (%(communities)s::text[] IS NULL OR t.community_id = ANY(%(communities)s))
             AND (NOT %(open_only)s OR t.status = ANY(%(open_statuses)s))
             AND NOT EXISTS (SELECT 1 FROM _gm_grid_hits AS g WHERE g.report_key = t.report_id)),
       (SELECT count(*) FROM _gm_building_hits)
