-- Column names and type oids of a staging table, for a binary COPY into it.
SELECT a.attname, a.atttypid::integer
  FROM pg_attribute AS a
 WHERE a.attrelid = to_regclass(%(relation)s)
   AND a.attnum > 0
   AND NOT a.attisdropped
