SELECT {columns}, ST_AsBinary(geom)
  FROM reports
 WHERE report_id = %(report_id)s
