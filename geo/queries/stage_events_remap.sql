-- Events loaded with their community's reports follow the reports' numbers (given ->
-- stored; the last report of a given number wins); an event naming a report that was
-- not loaded is left without one.
UPDATE {stage} AS e
   SET report_id = m.report_id
  FROM {stage} AS x
  LEFT JOIN (SELECT DISTINCT ON (given_id) given_id, report_id
               FROM _gm_report_ids
              WHERE given_id IS NOT NULL
              ORDER BY given_id, _ord DESC) AS m
    ON m.given_id = x.report_id
 WHERE e._ord = x._ord
