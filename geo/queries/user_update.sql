UPDATE users SET {assignments} WHERE name = %(name)s
