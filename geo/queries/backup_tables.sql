-- Which of the named tables exist in the store's schema (a backup skips the others).
SELECT c.relname
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema()
   AND c.relkind IN ('r', 'p')
   AND c.relname = ANY(%(names)s)
