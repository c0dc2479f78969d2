-- A staging table with the columns and types of {table} (no constraints), plus the
-- input order; gone at commit.
DROP TABLE IF EXISTS pg_temp.{stage};
CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT * FROM {table} WITH NO DATA;
ALTER TABLE {stage} ADD COLUMN _ord bigint;
