-- The recorded versions of a community's grids, oldest first (newest first with
-- %(latest)s, limited to one row).
SELECT community_id, version, saved_at, actor, note, kind, grids, fingerprint
  FROM grid_versions
 WHERE community_id = %(community_id)s
 ORDER BY CASE WHEN %(latest)s THEN -version ELSE version END
 LIMIT CASE WHEN %(latest)s THEN 1 END
