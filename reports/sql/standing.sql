-- Each ward's registrants at the month's end ($1) by where they stand: eligible
-- (scores meeting the title's criteria), a total of pass_total or more but an
-- indicator below min_per_indicator, assessed and short otherwise, and not
-- assessed yet; in the wards' order.
WITH fw AS (SELECT pass_total FROM cfg_framework)
SELECT w.ward,
       count(s.citizen_id) AS registered,
       count(*) FILTER (WHERE s.status = 'eligible') AS eligible,
       count(*) FILTER (WHERE s.status = 'not_yet' AND s.total >= fw.pass_total) AS total_reached,
       count(*) FILTER (WHERE s.status = 'not_yet' AND (s.total IS NULL OR s.total < fw.pass_total)) AS short,
       count(*) FILTER (WHERE s.status = 'not_assessed') AS not_assessed
FROM cfg_wards w
CROSS JOIN fw
LEFT JOIN citizen_status_monthly s ON s.ward = w.ward AND s.month = $1
GROUP BY w.ward, w.ordinal
ORDER BY w.ordinal
