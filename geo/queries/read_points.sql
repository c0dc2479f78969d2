-- A point layer as COPY text: the layer's columns, then x, y and whether there is a
-- geometry at all (an empty point has none of x and y but is not NULL).
-- COPY takes no bound parameters, so the community filter is read from the
-- transaction-local settings gridmap.read_all / gridmap.read_community.
COPY (
    SELECT {columns}, ST_X(geom), ST_Y(geom), geom IS NOT NULL
      FROM {table}
     WHERE current_setting('gridmap.read_all') = 'on'
        OR community_id = current_setting('gridmap.read_community')
     ORDER BY {order}
) TO STDOUT
