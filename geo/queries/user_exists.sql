SELECT 1 FROM users WHERE name = %(name)s
