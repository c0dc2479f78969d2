-- Run once on every new connection of the store: values come back in a form the
-- reader parses exactly (ISO timestamps in UTC, floats to the last digit).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'iso_8601';
SET extra_float_digits = 3;
-- The store's statements are short or dominated by PostGIS functions, which JIT
-- compilation does not speed up; compiling would only add its own time.
SET jit = off;
-- Staging tables of big imports stay in memory (allocated only when used; must be set
-- before the session's first temporary table).
SET temp_buffers = '128MB';
