-- One migrating process per schema at a time (held until migrate_unlock).
SELECT pg_advisory_lock(hashtext(%(key)s))
