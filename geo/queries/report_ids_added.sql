-- The report_id given to each report staged by reports_numbering.sql, in input order.
SELECT report_id FROM _gm_report_ids ORDER BY _ord
