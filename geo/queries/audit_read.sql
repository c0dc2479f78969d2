-- The whole audit log, as stored (geo.store.audit.changes reads it for people).
SELECT audit_id, at, actor, community_id, entity, entity_id, action, before, after, tx
  FROM audit_log
