-- Keys on the answers, so that reassign_apply.sql looks each report up by its id.
ALTER TABLE _gm_grid_hits ADD PRIMARY KEY (report_key);
ALTER TABLE _gm_building_hits ADD PRIMARY KEY (report_key);
ANALYZE _gm_grid_hits;
ANALYZE _gm_building_hits;
