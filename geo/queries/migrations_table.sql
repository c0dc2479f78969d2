-- The record of applied migrations, in the store's schema.
CREATE TABLE IF NOT EXISTS gridmap_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
