-- Every assessment is of a registered person.

-- incremental by: citizen_id (an incremental run tests the changed people's rows: the others passed before)
SELECT a.assessment_id, a.file_id, a.sheet, a.row_number
FROM assessments a LEFT JOIN citizens c USING (citizen_id)
WHERE c.citizen_id IS NULL
