INSERT INTO gridmap_migrations (version, name, checksum)
VALUES (%(version)s, %(name)s, %(checksum)s)
