-- Rows without a key get the next numbers after the highest stored one, in order.
UPDATE {stage} AS s
   SET {key} = n.top + n.rn
  FROM (SELECT x._ord,
               row_number() OVER (ORDER BY x._ord) AS rn,
               (SELECT coalesce(max(t.{key}), 0) FROM {table} AS t) AS top
          FROM {stage} AS x
         WHERE x.{key} IS NULL) AS n
 WHERE s._ord = n._ord
