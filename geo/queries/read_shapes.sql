-- A polygon (or mixed) layer as COPY text: the layer's columns, then the geometry as
-- hex WKB. The community filter comes from transaction-local settings (see
-- read_points.sql).
COPY (
    SELECT {columns}, encode(ST_AsBinary(geom), 'hex')
      FROM {table}
     WHERE current_setting('gridmap.read_all') = 'on'
        OR community_id = current_setting('gridmap.read_community')
     ORDER BY {order}
) TO STDOUT
