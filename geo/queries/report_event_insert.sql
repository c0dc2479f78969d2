INSERT INTO report_events (community_id, report_id, at, actor, from_status, to_status, note)
VALUES (%(community_id)s, %(report_id)s, %(at)s, %(actor)s, %(from_status)s,
        %(to_status)s, %(note)s)
RETURNING event_id
