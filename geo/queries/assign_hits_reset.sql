DROP TABLE IF EXISTS pg_temp._gm_grid_hits, pg_temp._gm_building_hits
