-- The lock an UPDATE takes anyway, taken before any row lock so that a row update
-- and a bulk write (lock_for_bulk_write.sql) always lock in the same order.
LOCK TABLE {table} IN ROW EXCLUSIVE MODE
