-- The grids of one community, the layer's columns then WKB, in code-point order of
-- grid_id (as the GeoPackage store orders them).
SELECT {columns}, ST_AsBinary(geom)
  FROM grids
 WHERE community_id = %(community_id)s
 ORDER BY grid_id COLLATE "C"
