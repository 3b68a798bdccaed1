-- Citizen assessments: one survey of one person in one round, from loaded files.
-- When the same person, round and day appear in several loaded files, the file
-- received last counts.
-- columns:
--   assessment_id: citizen_id/round/date
--   citizen_id: the person assessed
--   round: survey round, cfg_rounds.round
--   round_ordinal: the round's place in cfg_rounds (1 = the first)
--   assessed_on: the day of the assessment
--   self_scores: the self-assessed scores, self_scores[i] for indicator i
--   reviewed_scores: the reviewed (thẩm định) scores, NULL when not reviewed
--   reviewer: who reviewed
--   file_id: lineage
--   sheet: lineage
--   row_number: lineage
SELECT a.citizen_id || '/' || a.round || '/' || strftime(a.assessed_on, '%Y-%m-%d') AS assessment_id,
       a.citizen_id, a.round, r.ordinal AS round_ordinal, a.assessed_on,
       a.self_scores, a.reviewed_scores, a.reviewer,
       a.file_id, a.sheet, a.row_number
FROM raw_citizen_assessments a
JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'citizen_assessments' AND t.status = 'loaded'
JOIN ingest_files f ON f.file_id = a.file_id
LEFT JOIN cfg_rounds r ON r.round = a.round
QUALIFY row_number() OVER (PARTITION BY a.citizen_id, a.round, a.assessed_on
                           ORDER BY f.received_at DESC, a.file_id DESC, a.row_number DESC) = 1
