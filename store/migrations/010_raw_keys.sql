-- What the raw rows gain for corrections, supplements and form tools:
--
-- record_key is a row's identity, set by ingest when it loads the row: a row of a
-- later file with the same record_key replaces it in the models (the latest file
-- received counts; within one file, the later submission). So a supplement adds
-- rows without removing the earlier file's, a corrected row replaces its earlier
-- self, and the models can tell, for any cut-off, which row counted then.
-- Keys: units and citizens by their code; an assessment by person, round and day;
-- a unit's self-assessment by unit and day (one raw row per item); an activity by
-- ward, day, kind and title.
--
-- raw_citizens.birth_date keeps a full birth date when the file gives one (the
-- birth year is taken from it). raw_citizen_assessments.submitted_at is when a
-- form tool received the answer (a Google Forms timestamp, KoboToolbox's
-- _submission_time): of two submissions of one person, round and day in one
-- file, the later counts. review_status is the form tool's review of the
-- submission (KoboToolbox's _validation_status): approved, not_approved, on_hold.
ALTER TABLE raw_units ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_units SET record_key = unit_code WHERE record_key IS NULL;

ALTER TABLE raw_citizens ADD COLUMN IF NOT EXISTS birth_date DATE;
ALTER TABLE raw_citizens ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_citizens SET record_key = citizen_id WHERE record_key IS NULL;

ALTER TABLE raw_citizen_assessments ADD COLUMN IF NOT EXISTS submitted_at TIMESTAMPTZ;
ALTER TABLE raw_citizen_assessments ADD COLUMN IF NOT EXISTS review_status VARCHAR;
ALTER TABLE raw_citizen_assessments ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_citizen_assessments SET record_key = citizen_id || '/' || round || '/' || strftime(assessed_on, '%Y-%m-%d') WHERE record_key IS NULL;

ALTER TABLE raw_unit_assessments ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_unit_assessments SET record_key = unit_code || '/' || strftime(assessed_on, '%Y-%m-%d') WHERE record_key IS NULL;

ALTER TABLE raw_activities ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_activities SET record_key = ward || '/' || strftime(activity_date, '%Y-%m-%d') || '/' || lower(kind) || '/' || lower(title) WHERE record_key IS NULL;

COMMENT ON COLUMN raw_units.record_key IS 'The row''s identity (the unit code): a later loaded row with the same key replaces it.';
COMMENT ON COLUMN raw_citizens.birth_date IS 'The full birth date, when the file gives one; birth_year is its year.';
COMMENT ON COLUMN raw_citizens.record_key IS 'The row''s identity (the citizen code): a later loaded row with the same key replaces it.';
COMMENT ON COLUMN raw_citizen_assessments.submitted_at IS 'When a form tool received the answer (Google Forms timestamp, KoboToolbox _submission_time); NULL for tables typed by hand.';
COMMENT ON COLUMN raw_citizen_assessments.review_status IS 'The form tool''s review of the submission: approved, not_approved or on_hold; NULL when none.';
COMMENT ON COLUMN raw_citizen_assessments.record_key IS 'The row''s identity (citizen/round/day): a later loaded row with the same key replaces it; in one file, the later submission.';
COMMENT ON COLUMN raw_unit_assessments.record_key IS 'The self-assessment''s identity (unit/day): a later loaded self-assessment with the same key replaces it.';
COMMENT ON COLUMN raw_activities.record_key IS 'The activity''s identity (ward/day/kind/title): the same activity in a later file replaces it, so a re-sent log does not count it twice.';

ALTER TABLE raw_decisions ADD COLUMN IF NOT EXISTS record_key VARCHAR;
UPDATE raw_decisions SET record_key = decision_number || '/' || title || '/' || coalesce(citizen_id, unit_code) WHERE record_key IS NULL;
COMMENT ON COLUMN raw_decisions.record_key IS 'The row''s identity (decision/title/person or unit): the same decision naming the same person again replaces the row.';
