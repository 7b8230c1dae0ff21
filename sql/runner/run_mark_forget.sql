-- Remove the mark of the last complete run (local target): the next run refreshes every layer.
DROP TABLE IF EXISTS bronze._run_state
