-- A table without geometry as COPY text (community filter: see read_points.sql).
COPY (
    SELECT {columns}
      FROM {table}
     WHERE current_setting('gridmap.read_all') = 'on'
        OR community_id = current_setting('gridmap.read_community')
     ORDER BY {order}
) TO STDOUT
