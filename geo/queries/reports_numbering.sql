-- The report_id of every staged report: the caller's numbers when they are usable
-- (all given, distinct, above every stored one: the demo's events refer to them),
-- otherwise the next numbers after the highest stored report_id, in input order.
DROP TABLE IF EXISTS pg_temp._gm_report_ids;
CREATE TEMP TABLE _gm_report_ids ON COMMIT DROP AS
WITH stored AS (
    SELECT coalesce(max(report_id), 0) AS top FROM reports
),
given AS (
    SELECT count(*) AS n,
           count(report_id) AS n_given,
           count(DISTINCT report_id) AS n_distinct,
           min(report_id) AS lowest
      FROM {stage}
),
decision AS (
    SELECT stored.top,
           (given.n > 0 AND (given.n_given < given.n
                             OR given.n_distinct < given.n
                             OR given.lowest <= stored.top)) AS renumber
      FROM stored, given
)
SELECT s._ord,
       s.report_id AS given_id,
       CASE WHEN d.renumber THEN d.top + row_number() OVER (ORDER BY s._ord)
            ELSE s.report_id END AS report_id,
       d.renumber
  FROM {stage} AS s
 CROSS JOIN decision AS d;
