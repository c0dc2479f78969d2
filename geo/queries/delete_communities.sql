DELETE FROM {table} WHERE community_id = ANY(%(community_ids)s)
