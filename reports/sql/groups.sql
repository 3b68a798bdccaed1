SELECT group_id, name, name_en FROM cfg_target_groups ORDER BY group_id
