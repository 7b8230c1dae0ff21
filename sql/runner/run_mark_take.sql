-- Take away the mark of the last complete run (local target), returning it: a run that stops half-way leaves none.
-- (sqlfluff's databricks dialect reads RETURNING as a table alias)
DELETE FROM bronze._run_state RETURNING run_id, load_state  -- noqa: AL01
