-- A synthetic commune's progress at the end of each month, per target group
-- (level ward_group) and in all (level ward): registrations over the first
-- three months, the three survey rounds (months 2, 5 and 8) raising the share
-- eligible, decisions of recognition from month 9. The groups split a
-- commune's people 50/33/17, the last taking what rounding leaves.
WITH base AS (
    SELECT c.province, c.unit_code, m.month, m.ordinal, c.citizens, c.factor,
           (c.citizens * least(m.ordinal, 3) // 3) AS registered
    FROM communes c CROSS JOIN months m
),
ward AS (
    SELECT *, CASE WHEN ordinal >= 2 THEN registered * 95 // 100 ELSE 0 END AS assessed
    FROM base
),
ward2 AS (
    SELECT *, least(assessed, (assessed * CASE WHEN ordinal >= 8 THEN 55 WHEN ordinal >= 5 THEN 35 WHEN ordinal >= 2 THEN 10 ELSE 0 END * factor) // 10000) AS eligible
    FROM ward
),
ward3 AS (
    SELECT *, CASE WHEN ordinal >= 9 THEN eligible * 9 // 10 ELSE 0 END AS recognised FROM ward2
),
groups AS (
    SELECT * FROM (VALUES (1, 50), (2, 33), (3, 17)) g(group_id, pct)
)
SELECT province, month, unit_code, unit_code AS ward, 'ward' AS level, NULL::INTEGER AS group_id,
       registered::BIGINT AS registered, assessed::BIGINT AS assessed, eligible::BIGINT AS eligible, recognised::BIGINT AS recognised,
       eligible::BIGINT AS reviewed, (assessed - eligible)::BIGINT AS not_yet, (citizens * 6)::BIGINT AS population_adults
FROM ward3
UNION ALL
SELECT w.province, w.month, w.unit_code, w.unit_code, 'ward_group', g.group_id::INTEGER,
       CASE WHEN g.group_id = 3 THEN w.registered - w.registered * 50 // 100 - w.registered * 33 // 100 ELSE w.registered * g.pct // 100 END::BIGINT,
       CASE WHEN g.group_id = 3 THEN w.assessed - w.assessed * 50 // 100 - w.assessed * 33 // 100 ELSE w.assessed * g.pct // 100 END::BIGINT,
       CASE WHEN g.group_id = 3 THEN w.eligible - w.eligible * 50 // 100 - w.eligible * 33 // 100 ELSE w.eligible * g.pct // 100 END::BIGINT,
       CASE WHEN g.group_id = 3 THEN w.recognised - w.recognised * 50 // 100 - w.recognised * 33 // 100 ELSE w.recognised * g.pct // 100 END::BIGINT,
       CASE WHEN g.group_id = 3 THEN w.eligible - w.eligible * 50 // 100 - w.eligible * 33 // 100 ELSE w.eligible * g.pct // 100 END::BIGINT,
       NULL::BIGINT, NULL::BIGINT
FROM ward3 w CROSS JOIN groups g
