-- Staged reports go in once, with their numbers and their assignment.
INSERT INTO reports ({columns})
SELECT {values}
  FROM {stage} AS s
  JOIN _gm_report_ids AS i ON i._ord = s._ord
  LEFT JOIN _gm_grid_hits AS g ON g.report_key = s._ord
  LEFT JOIN _gm_building_hits AS b ON b.report_key = s._ord
 ORDER BY s._ord
