-- Within one batch the last row of a key wins (an upsert of the same key twice).
DELETE FROM {stage} AS s
 WHERE EXISTS (SELECT 1
                 FROM {stage} AS t
                WHERE t.community_id = s.community_id
                  AND t.{key} = s.{key}
                  AND t._ord > s._ord)
