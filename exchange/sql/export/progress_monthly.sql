-- People registered, assessed, eligible and recognised at the end of each
-- month, per commune or ward (level ward) and per commune and target group
-- (level ward_group): progress_monthly's additive rows, keyed by the unit's
-- official code. A receiver adds them up at its level.
SELECT p.month, w.unit_code, p.ward, p.level, p.group_id,
       p.registered, p.assessed, p.eligible, p.recognised, p.reviewed, p.not_yet,
       p.population_adults::BIGINT AS population_adults
FROM progress_monthly p
JOIN exchange_wards w ON w.ward = p.ward
WHERE p.level IN ('ward', 'ward_group')
