-- Fresh statistics after a bulk write, so the next statements plan for the real table.
ANALYZE {table}
