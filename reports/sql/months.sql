-- The programme's months up to and including the report's month ($1), in order.
SELECT month FROM cfg_months WHERE month <= $1 ORDER BY month
