-- A backup reads every table from one snapshot, without blocking any writer.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
