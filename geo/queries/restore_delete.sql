-- A restore empties each table it restores (in its one transaction). DELETE, not
-- TRUNCATE: TRUNCATE would cascade to tables it must leave alone (the audit log).
DELETE FROM {table}
