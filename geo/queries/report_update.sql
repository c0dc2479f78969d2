UPDATE reports SET {assignments} WHERE report_id = %(report_id)s
