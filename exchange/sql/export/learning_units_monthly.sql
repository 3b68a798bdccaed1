-- Learning units (Đơn vị học tập) per commune or ward at the end of each
-- month: how many, how many self-assessed, eligible and recognised, and
-- their members.
SELECT u.month, w.unit_code, u.ward,
       count(*) AS units,
       count(u.assessed_on) AS assessed,
       count(*) FILTER (WHERE u.eligible) AS eligible,
       count(*) FILTER (WHERE u.recognised) AS recognised,
       coalesce(sum(u.members), 0)::BIGINT AS members
FROM unit_status_monthly u
JOIN exchange_wards w ON w.ward = u.ward
GROUP BY u.month, w.unit_code, u.ward
