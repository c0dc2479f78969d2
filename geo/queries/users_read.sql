SELECT name, full_name, role, community_id, grids, password_hash, disabled, created_at,
       password_changed_at
  FROM users
 ORDER BY name
