-- One recorded version of a community's grids.
INSERT INTO grid_versions (community_id, version, saved_at, actor, note, kind, grids, fingerprint)
VALUES (%(community_id)s, %(version)s, %(saved_at)s, %(actor)s, %(note)s, %(kind)s, %(grids)s,
        %(fingerprint)s)
