-- Stored rows with the same (community_id, key) as a staged row: the upsert replaces them.
DELETE FROM {table} AS t
 USING {stage} AS s
 WHERE t.community_id = s.community_id
   AND t.{key} = s.{key}
