-- Every row of one table, for a backup ({columns}: the columns, geometries as WKB).
SELECT {columns} FROM {table}
