-- The photos of one report, in the order they were added.
SELECT photo_id, community_id, report_id, name, mime, width, height, data, added_at, added_by
  FROM report_photos
 WHERE report_id = %(report_id)s
 ORDER BY photo_id
