-- Write the new grid_id and building_id of the reports in scope whose answer changed;
-- no other row is touched. The reports are visited in their physical order and each
-- answer is looked up by report id, so the writes go page by page. A grid chosen by
-- hand (grid_by_hand, migration 0005) is kept; the building is still recomputed.
WITH changed AS (
    UPDATE reports AS r
       SET grid_id = CASE WHEN r.grid_by_hand THEN r.grid_id
                          ELSE (SELECT g.grid_id FROM _gm_grid_hits AS g
                                 WHERE g.report_key = r.report_id) END,
           building_id = (SELECT b.building_id FROM _gm_building_hits AS b
                           WHERE b.report_key = r.report_id)
     WHERE (%(communities)s::text[] IS NULL OR r.community_id = ANY(%(communities)s))
       AND (NOT %(open_only)s OR r.status = ANY(%(open_statuses)s))
       AND ((r.grid_id IS DISTINCT FROM (SELECT g.grid_id FROM _gm_grid_hits AS g
                                          WHERE g.report_key = r.report_id)
             AND r.grid_by_hand IS NOT TRUE)
            OR r.building_id IS DISTINCT FROM (SELECT b.building_id FROM _gm_building_hits AS b
                                                WHERE b.report_key = r.report_id))
    RETURNING 1
)
SELECT (SELECT count(*) FROM changed)
