SELECT version, name FROM gridmap_migrations ORDER BY version
