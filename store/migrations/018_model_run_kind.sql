-- Which kind of transform a step belonged to, and how its model was made: a
-- full run computes every model whole; an incremental one (after a full run,
-- with the same configuration and SQL) recomputes only the people the files
-- loaded or superseded since can change, and the other models whole.
ALTER TABLE model_runs ADD COLUMN IF NOT EXISTS run_kind VARCHAR;
ALTER TABLE model_runs ADD COLUMN IF NOT EXISTS mode VARCHAR;

COMMENT ON COLUMN model_runs.run_kind IS 'The transform''s kind: full, or incremental (built on the published snapshot); NULL for runs recorded before hoctap kept it.';
COMMENT ON COLUMN model_runs.mode IS 'whole: a model computed whole, a test run on all rows; people: a model of which only the changed people''s rows were recomputed and replaced, a test run on those rows only (the others passed it before, unchanged).';
