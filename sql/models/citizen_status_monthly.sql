-- Each registered person's standing at the end of each month of the programme:
-- the latest complete assessment dated on or before the month's last day counts.
-- eligible: it meets the title's criteria (đủ điều kiện đề nghị công nhận);
-- not_yet: it does not; not_assessed: none yet. Scores make a person eligible;
-- only a decision of recognition (decisions) dated by the month's end makes
-- them recognised (đã công nhận). A person appears from the month of their
-- registration on.
-- columns:
--   month: YYYY-MM
--   citizen_id: the person
--   ward: ward code
--   group_id: target group
--   unit_code: workplace unit, if any
--   status: eligible, not_yet or not_assessed
--   assessment_id: the assessment that counts
--   round: its round
--   assessed_on: its day
--   total: its total
--   min_score: its lowest indicator score
--   reviewed: the scores that count were reviewed (thẩm định); false: self-assessed only
--   first_eligible_month: the first month the person was eligible, if ever
--   recognised: a decision dated by the month's end recognises the person
--   decision_number: that decision, the first one (of two signed the same day, the lower number)
--   decided_on: its day

-- incremental by: citizen_id (a person's rows depend only on that person's rows)

-- How: each complete assessment counts from its month (or the month of
-- registration, if later) until the month before the person's next assessment
-- takes over, so the months are spans found once per assessment (a window over
-- the assessments, not a search per person and month), spread over the months
-- at the end; a person's months before any assessment are one more span.
-- Months are numbered from 1, the programme's first month (cfg_months.ordinal).
WITH span AS (
    SELECT min(month_start) AS first_start, count(*) AS n FROM cfg_months
),
decided AS (
    -- each person's first decision of recognition: the earliest; of two
    -- signed the same day, the lower number (the number's text last), so that
    -- which one counts never hangs on the order of the rows
    SELECT citizen_id, decided_on, decision_number
    FROM decisions WHERE title = 'citizen' AND citizen_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY citizen_id
                               ORDER BY decided_on, try_cast(regexp_extract(decision_number, '^[0-9]+') AS BIGINT) NULLS LAST, decision_number) = 1
),
reg AS (
    SELECT c.citizen_id, c.ward, c.group_id, c.unit_code,
           greatest(1, datediff('month', sp.first_start, c.registered_on) + 1) AS reg_k, sp.n
    FROM citizens c CROSS JOIN span sp
    WHERE datediff('month', sp.first_start, c.registered_on) + 1 <= sp.n
),
scored AS (
    SELECT s.citizen_id, s.assessment_id, s.round, s.assessed_on, s.total, s.min_score, s.meets_title, s.reviewed,
           greatest(1, datediff('month', sp.first_start, s.assessed_on) + 1) AS k,
           lead(greatest(1, datediff('month', sp.first_start, s.assessed_on) + 1))
               OVER (PARTITION BY s.citizen_id ORDER BY s.assessed_on, s.round_ordinal) AS next_k
    FROM citizen_scores s CROSS JOIN span sp
    WHERE s.complete AND datediff('month', sp.first_start, s.assessed_on) + 1 <= sp.n
),
runs AS (
    SELECT r.citizen_id, r.ward, r.group_id, r.unit_code,
           s.assessment_id, s.round, s.assessed_on, s.total, s.min_score, s.meets_title, s.reviewed,
           greatest(s.k, r.reg_k) AS from_k, coalesce(s.next_k - 1, r.n) AS to_k
    FROM reg r JOIN scored s USING (citizen_id)
    WHERE greatest(s.k, r.reg_k) <= coalesce(s.next_k - 1, r.n)
),
person AS (
    SELECT citizen_id, min(from_k) AS assessed_k, min(from_k) FILTER (WHERE meets_title) AS first_k
    FROM runs GROUP BY citizen_id
),
segments AS (
    SELECT r.*, p.first_k FROM runs r JOIN person p USING (citizen_id)
    UNION ALL
    SELECT r.citizen_id, r.ward, r.group_id, r.unit_code, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           r.reg_k, coalesce(p.assessed_k - 1, r.n), p.first_k
    FROM reg r LEFT JOIN person p USING (citizen_id)
    WHERE r.reg_k <= coalesce(p.assessed_k - 1, r.n)
)
SELECT m.month, f.citizen_id, f.ward, f.group_id, f.unit_code,
       CASE WHEN f.assessment_id IS NULL THEN 'not_assessed'
            WHEN f.meets_title THEN 'eligible'
            ELSE 'not_yet' END AS status,
       f.assessment_id, f.round, f.assessed_on, f.total, f.min_score, f.reviewed,
       fm.month AS first_eligible_month,
       coalesce(dc.decided_on <= m.month_end, false) AS recognised,
       CASE WHEN dc.decided_on <= m.month_end THEN dc.decision_number END AS decision_number,
       CASE WHEN dc.decided_on <= m.month_end THEN dc.decided_on END AS decided_on
FROM segments f
CROSS JOIN unnest(range(f.from_k, f.to_k + 1)) AS u(k)
JOIN cfg_months m ON m.ordinal = u.k
LEFT JOIN cfg_months fm ON fm.ordinal = f.first_k
LEFT JOIN decided dc ON dc.citizen_id = f.citizen_id
