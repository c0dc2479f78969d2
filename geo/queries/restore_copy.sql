-- The backup's rows of one table; text format, so the server reads each value as its
-- column's type (json, dates and the like travel as their text).
COPY {table} ({columns}) FROM STDIN
