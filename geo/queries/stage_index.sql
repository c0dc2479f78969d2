CREATE INDEX ON {stage} USING gist (geom);
ANALYZE {stage};
