-- Is PostGIS enabled in this database, and could it be?
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS enabled,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis') AS available
