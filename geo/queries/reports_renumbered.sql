SELECT coalesce(bool_or(renumber), false) FROM _gm_report_ids
