-- One report, locked until the end of the transaction.
SELECT {columns}, ST_AsBinary(geom)
  FROM reports
 WHERE report_id = %(report_id)s
   FOR UPDATE
