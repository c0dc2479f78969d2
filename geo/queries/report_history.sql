-- The events of one report, oldest first.
SELECT {columns}
  FROM report_events
 WHERE report_id = %(report_id)s
 ORDER BY at, event_id
