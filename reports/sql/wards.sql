-- The wards, with how a report of the month names each: "xã Tân Quy Tây (cũ),
-- nay thuộc phường Sa Đéc" once its unit had changed by the month's end
-- (geo_ward_months), else its kind and name.
SELECT w.ward, w.name, w.kind, coalesce(nullif(w.name_en, ''), w.name) AS name_en, w.population_adults,
       coalesce(g.label, '') AS label, coalesce(g.label_en, '') AS label_en
FROM cfg_wards w
LEFT JOIN (SELECT ward, any_value(label) AS label, any_value(label_en) AS label_en
           FROM geo_ward_months WHERE month = $1 GROUP BY ward) g USING (ward)
ORDER BY w.ordinal
