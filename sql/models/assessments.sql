-- Citizen assessments: one survey of one person in one round, from loaded files.
-- When the same person, round and day appear in several loaded files, the file
-- received last counts; within one file, the later submission (a form tool's
-- timestamp: a resubmission replaces the earlier answer, which stays in the
-- raw rows), else the lower row. Per-indicator rows: unnest(scores) with
-- generate_subscripts(scores, 1) as the indicator number.
-- columns:
--   assessment_id: citizen_id/round/date
--   citizen_id: the person assessed
--   round: survey round, cfg_rounds.round
--   round_ordinal: the round's place in cfg_rounds (1 = the first)
--   assessed_on: the day of the assessment
--   self_scores: the self-assessed scores, self_scores[i] for indicator i
--   reviewed_scores: the reviewed (thẩm định) scores, NULL when not reviewed
--   reviewer: who reviewed
--   scores: the scores that count, scores[i] for indicator i, as exact decimals: the reviewed score, the
--     self score, or the reviewed one when present, by cfg_framework.score_basis; NULL where the basis
--     asks for a reviewed score that is missing
--   reviewed: the reviewed scores count for this assessment
--   file_id: lineage
--   sheet: lineage
--   row_number: lineage

-- incremental by: citizen_id (a person's rows depend only on that person's rows)

-- How: rows of files still loaded, kept whole but for the few (person, round,
-- day) keys found in more than one row: only those are ranked, so the window
-- never sorts the full set with its score lists. The scores that count are the
-- score list cast at once when the basis reads self scores and no reviewed one
-- applies, else picked indicator by indicator.
WITH loaded AS (
    SELECT a.*
    FROM raw_citizen_assessments a
    SEMI JOIN ingest_file_tables t ON t.file_id = a.file_id AND t.dataset = 'citizen_assessments' AND t.status = 'loaded'
),
repeated AS (
    SELECT citizen_id, round, assessed_on
    FROM loaded
    GROUP BY citizen_id, round, assessed_on
    HAVING count(*) > 1
),
latest AS (
    SELECT a.*
    FROM loaded a
    ANTI JOIN repeated d ON d.citizen_id IS NOT DISTINCT FROM a.citizen_id AND d.round IS NOT DISTINCT FROM a.round
                   AND d.assessed_on IS NOT DISTINCT FROM a.assessed_on
    UNION ALL
    SELECT a.*
    FROM loaded a
    SEMI JOIN repeated d ON d.citizen_id IS NOT DISTINCT FROM a.citizen_id AND d.round IS NOT DISTINCT FROM a.round
                   AND d.assessed_on IS NOT DISTINCT FROM a.assessed_on
    JOIN ingest_files f ON f.file_id = a.file_id
    QUALIFY row_number() OVER (PARTITION BY a.citizen_id, a.round, a.assessed_on
                               ORDER BY f.received_at DESC, a.file_id DESC, a.submitted_at DESC NULLS LAST, a.row_number DESC) = 1
)
SELECT a.citizen_id || '/' || a.round || '/' || strftime(a.assessed_on, '%Y-%m-%d') AS assessment_id,
       a.citizen_id, a.round, r.ordinal AS round_ordinal, a.assessed_on,
       a.self_scores, a.reviewed_scores, a.reviewer,
       CASE WHEN (fw.score_basis = 'self' OR (fw.score_basis <> 'reviewed' AND a.reviewed_scores IS NULL))
                 AND len(a.self_scores) = fw.indicators
            THEN CAST(a.self_scores AS DECIMAL(9, 3)[])
            ELSE list_transform(range(1, fw.indicators + 1), i -> CAST(
               CASE fw.score_basis
                   WHEN 'self' THEN a.self_scores[i]
                   WHEN 'reviewed' THEN a.reviewed_scores[i]
                   ELSE coalesce(a.reviewed_scores[i], a.self_scores[i])
               END AS DECIMAL(9, 3)))
       END AS scores,
       fw.score_basis <> 'self' AND a.reviewed_scores IS NOT NULL AS reviewed,
       a.file_id, a.sheet, a.row_number
FROM latest a
LEFT JOIN cfg_rounds r ON r.round = a.round
CROSS JOIN cfg_framework fw
