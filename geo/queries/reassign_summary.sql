-- How many reports were in scope, how many have a grid and how many a building.
SELECT (SELECT count(*)
          FROM reports AS t
         WHERE (%(communities)s::text[] IS NULL OR t.community_id = ANY(%(communities)s))
           AND (NOT %(open_only)s OR t.status = ANY(%(open_statuses)s))),
       (SELECT count(*) FROM _gm_grid_hits),
       (SELECT count(*) FROM _gm_building_hits)
