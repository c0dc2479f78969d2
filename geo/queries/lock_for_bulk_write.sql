-- Writers of the store queue here, so keys numbered from max()+1 never collide and
-- a delete-then-insert never races another; readers are not blocked.
LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE
