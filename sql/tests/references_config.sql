-- Every ward, target group, round and unit item named by the data is configured.
SELECT 'citizen ward' AS what, ward AS value FROM citizens WHERE ward NOT IN (SELECT ward FROM cfg_wards)
UNION ALL SELECT 'citizen group', CAST(group_id AS VARCHAR) FROM citizens WHERE group_id NOT IN (SELECT group_id FROM cfg_target_groups)
UNION ALL SELECT 'unit ward', ward FROM units WHERE ward NOT IN (SELECT ward FROM cfg_wards)
UNION ALL SELECT 'activity ward', ward FROM activities WHERE ward NOT IN (SELECT ward FROM cfg_wards)
UNION ALL SELECT 'round', round FROM assessments WHERE round NOT IN (SELECT round FROM cfg_rounds)
UNION ALL SELECT 'unit item', item FROM raw_unit_assessments WHERE item NOT IN (SELECT item FROM cfg_unit_items)
