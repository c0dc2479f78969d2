-- One audit row for a bulk write of a table (geo.store.audit.bulk_details).
INSERT INTO audit_log (actor, community_id, entity, entity_id, action, before, after, tx)
VALUES (nullif(current_setting('gridmap.actor', true), ''), %(community_id)s, %(entity)s,
        NULL, 'bulk', NULL, %(details)s::jsonb, txid_current()::text)
