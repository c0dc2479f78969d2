-- The grids of one recorded version, as rows of the grids layer (columns, then WKB).
SELECT {columns}, ST_AsBinary(geom)
  FROM grid_history
 WHERE community_id = %(community_id)s
   AND version = %(version)s
 ORDER BY grid_id COLLATE "C"
