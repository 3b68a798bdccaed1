-- A synthetic commune's submissions: one due each month, sent on time but in
-- one month of five, when it comes late.
SELECT c.province, m.month, c.unit_code, c.unit_code AS ward,
       1::BIGINT AS expected,
       CASE WHEN (c.factor + m.ordinal) % 5 = 0 THEN 0 ELSE 1 END::BIGINT AS on_time,
       CASE WHEN (c.factor + m.ordinal) % 5 = 0 THEN 1 ELSE 0 END::BIGINT AS late,
       0::BIGINT AS missing, 1::BIGINT AS files_received, 0::BIGINT AS files_refused
FROM communes c CROSS JOIN months m
