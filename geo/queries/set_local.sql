-- A setting for this transaction only (e.g. gridmap.assigning, work_mem).
SELECT set_config(%(name)s, %(value)s, true)
