-- Whether each commune or ward sent its data on time, per month.
SELECT q.month, w.unit_code, q.ward, q.expected, q.on_time, q.late, q.missing,
       q.files_received, q.files_refused
FROM data_quality_monthly q
JOIN exchange_wards w ON w.ward = q.ward
