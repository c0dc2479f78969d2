-- Keep the community's grids as stored now as the grids of a version.
INSERT INTO grid_history (community_id, version, grid_id, name, worker_name, worker_phone, geom)
SELECT community_id, %(version)s, grid_id, name, worker_name, worker_phone, geom
  FROM grids
 WHERE community_id = %(community_id)s
