-- Every metric of the catalogue has a value row for every month.
SELECT c.metric, m.month
FROM cfg_metrics c CROSS JOIN cfg_months m
LEFT JOIN metrics_monthly x ON x.metric = c.metric AND x.month = m.month
WHERE x.metric IS NULL
