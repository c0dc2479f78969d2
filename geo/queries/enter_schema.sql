-- Put the store's schema first on the search path for this transaction only, so the
-- other queries name tables without a schema; the rest of the path (where the postgis
-- extension lives) follows.
SELECT set_config('search_path', quote_ident(%(schema)s) || ', ' || current_setting('search_path'), true)
