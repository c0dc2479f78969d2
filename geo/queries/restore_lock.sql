-- A restore replaces whole tables: nobody writes to them until it commits (readers
-- see the old rows until then).
LOCK TABLE {table} IN EXCLUSIVE MODE
