-- Learning and outreach activities per commune or ward and month.
SELECT a.month, w.unit_code, a.ward, a.activities::BIGINT AS activities, a.participants::BIGINT AS participants,
       a.hours::DECIMAL(18,2) AS hours
FROM activities_monthly a
JOIN exchange_wards w ON w.ward = a.ward
