-- Learning and outreach activities per commune or ward and month.
SELECT a.month, w.unit_code, a.ward, a.activities, a.participants, a.hours
FROM activities_monthly a
JOIN exchange_wards w ON w.ward = a.ward
