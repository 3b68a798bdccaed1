-- A synthetic commune's learning units: three and one more per 2,000
-- people, self-assessed from month 2, 60% eligible from month 8, half
-- recognised from month 9.
SELECT c.province, m.month, c.unit_code, c.unit_code AS ward,
       (3 + c.citizens // 2000)::BIGINT AS units,
       CASE WHEN m.ordinal >= 2 THEN 3 + c.citizens // 2000 ELSE 0 END::BIGINT AS assessed,
       CASE WHEN m.ordinal >= 8 THEN (3 + c.citizens // 2000) * 6 // 10 ELSE 0 END::BIGINT AS eligible,
       CASE WHEN m.ordinal >= 9 THEN (3 + c.citizens // 2000) * 3 // 10 ELSE 0 END::BIGINT AS recognised,
       ((3 + c.citizens // 2000) * 30)::BIGINT AS members
FROM communes c CROSS JOIN months m
