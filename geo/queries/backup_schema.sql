-- The schema holding the store's tables: the first of the search path (see enter_schema.sql).
SELECT current_schema()
