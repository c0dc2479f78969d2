-- The columns of one table of the store's schema, in order: name, type name, and
-- whether a sequence numbers it (identity or serial), so a restore can move the
-- sequence past the restored keys. Generated columns are computed, never copied.
SELECT a.attname,
       t.typname,
       pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname) IS NOT NULL
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  JOIN pg_attribute AS a ON a.attrelid = c.oid
  JOIN pg_type AS t ON t.oid = a.atttypid
 WHERE n.nspname = current_schema()
   AND c.relname = %(table)s
   AND c.relkind IN ('r', 'p')
   AND a.attnum > 0
   AND NOT a.attisdropped
   AND a.attgenerated = ''
 ORDER BY a.attnum
