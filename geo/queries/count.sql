SELECT count(*)
  FROM {table}
 WHERE %(community_id)s::text IS NULL OR community_id = %(community_id)s
