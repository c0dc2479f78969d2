-- A staged report whose (community_id, external_id) is already stored is skipped:
-- importing a file twice adds nothing. (Repeats within one batch are dropped before
-- staging, keeping the first.)
DELETE FROM {stage} AS s
 USING reports AS r
 WHERE r.community_id = s.community_id
   AND r.external_id = s.external_id
