-- Each unit at the end of each month: its latest self-assessment on or before
-- the month's last day, whether that makes it eligible for recognition (the
-- round that counts and the grade), whether a decision dated by then
-- recognises it, and the share of its members who hold the Công dân học tập
-- title by a decision (Thông tư 24/2023 asks for cfg_unit_scheme.member_title_share).
-- columns:
--   month: YYYY-MM
--   unit_code: the unit
--   ward: ward code
--   members: number of members
--   assessed_on: the self-assessment that counts, if any
--   total: its total
--   grade: its grade
--   in_round: that self-assessment is of the round that counts (not the baseline)
--   eligible: in_round and its grade is at least the one recognised from (đủ điều kiện)
--   recognised: a decision dated by the month's end recognises the unit (đã công nhận)
--   decision_number: that decision, the first one (of two signed the same day, the lower number)
--   registrants: members registered for the individual title by the month's end
--   eligible_members: members whose scores meet the individual title's criteria
--   title_holders: members a decision recognises as Công dân học tập by the month's end
--   title_share: title_holders / members
--   meets_member_share: title_share ≥ cfg_unit_scheme.member_title_share
WITH grid AS (
    SELECT m.month, m.month_end, u.unit_code, u.ward, u.members
    FROM units u CROSS JOIN cfg_months m
),
assessed AS (
    SELECT g.*, s.assessed_on, s.total, s.grade, s.in_round, s.eligible
    FROM grid g
    ASOF LEFT JOIN unit_scores s ON s.unit_code = g.unit_code AND s.assessed_on <= g.month_end
),
decided AS (
    -- each unit's first decision of recognition: the earliest; of two signed
    -- the same day, the lower number (as in citizen_status_monthly)
    SELECT unit_code, decided_on, decision_number
    FROM decisions WHERE title = 'unit' AND unit_code IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY unit_code
                               ORDER BY decided_on, try_cast(regexp_extract(decision_number, '^[0-9]+') AS BIGINT) NULLS LAST, decision_number) = 1
),
holders AS (
    SELECT month, unit_code, count(*) AS registrants,
           count(*) FILTER (WHERE status = 'eligible') AS eligible_members,
           count(*) FILTER (WHERE recognised) AS title_holders
    FROM citizen_status_monthly
    WHERE unit_code IS NOT NULL
    GROUP BY month, unit_code
)
SELECT a.month, a.unit_code, a.ward, a.members, a.assessed_on, a.total, a.grade,
       coalesce(a.in_round, false) AS in_round,
       coalesce(a.eligible, false) AS eligible,
       coalesce(d.decided_on <= a.month_end, false) AS recognised,
       CASE WHEN d.decided_on <= a.month_end THEN d.decision_number END AS decision_number,
       coalesce(h.registrants, 0) AS registrants,
       coalesce(h.eligible_members, 0) AS eligible_members,
       coalesce(h.title_holders, 0) AS title_holders,
       coalesce(h.title_holders, 0) / a.members AS title_share,
       coalesce(h.title_holders, 0) / a.members >= s.member_title_share AS meets_member_share
FROM assessed a
CROSS JOIN cfg_unit_scheme s
LEFT JOIN holders h ON h.month = a.month AND h.unit_code = a.unit_code
LEFT JOIN decided d ON d.unit_code = a.unit_code
