-- Keys written explicitly do not advance an identity sequence: move it past the
-- highest key, so rows added by QGIS or psql (which take the default) do not collide.
SELECT setval(pg_get_serial_sequence(%(table)s, %(column)s), top)
  FROM (SELECT max({key}) AS top FROM {table}) AS m
 WHERE top IS NOT NULL
