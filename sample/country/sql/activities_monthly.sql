-- A synthetic commune's activities: two to six a month.
SELECT c.province, m.month, c.unit_code, c.unit_code AS ward,
       (2 + (c.factor + m.ordinal) % 5)::BIGINT AS activities,
       ((2 + (c.factor + m.ordinal) % 5) * 25)::BIGINT AS participants,
       ((2 + (c.factor + m.ordinal) % 5) * 2)::DECIMAL(18,2) AS hours
FROM communes c CROSS JOIN months m
