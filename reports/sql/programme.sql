-- The programme, the title's thresholds and the unit scheme's member share.
SELECT p.city, p.province, p.name, p.start_date, p.end_date,
       f.pass_total, f.min_per_indicator, f.indicator_max, f.indicators,
       s.member_title_share, s.source AS unit_source, f.source AS citizen_source
FROM cfg_programme p, cfg_framework f, cfg_unit_scheme s
