-- A photo of a report, in the report's community; no row back when there is no report.
INSERT INTO report_photos (community_id, report_id, name, mime, width, height, data, added_by)
SELECT r.community_id, r.report_id, %(name)s, %(mime)s, %(width)s, %(height)s, %(data)s,
       %(added_by)s
  FROM reports AS r
 WHERE r.report_id = %(report_id)s
RETURNING photo_id
