-- Migration runs are isolated and retried: an attempt that stops on an error records it
-- on the run (in words for people; the raw error goes to the log) and when the scheduler
-- tries again, with a growing back-off. The run stays the team's one unfinished run
-- (`state = 'running'`, so `migration_runs_one_running` still allows one per team) until
-- it is done; an attempt that starts clears `last_error` and `next_attempt_at`.
ALTER TABLE migration_runs ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE migration_runs ADD COLUMN last_error TEXT;
ALTER TABLE migration_runs ADD COLUMN next_attempt_at TEXT;
-- Written by the run's last transaction, with its emails: how many people it emailed.
ALTER TABLE migration_runs ADD COLUMN people_emailed INTEGER;
UPDATE migration_runs SET people_emailed =
    (SELECT COUNT(*) FROM email_outbox o WHERE o.dedupe_key LIKE 'migration:' || migration_runs.id || ':%')
WHERE state = 'done';
-- The run's progress, counted by the transaction that migrates each workspace (so it is
-- exact, and reading it costs one row, not a count over the team's workspaces).
ALTER TABLE migration_runs ADD COLUMN workspaces_migrated INTEGER NOT NULL DEFAULT 0;
UPDATE migration_runs SET workspaces_migrated =
    (SELECT COUNT(*) FROM workspaces w WHERE w.migration_run_id = migration_runs.id);

-- The scheduler looks for unfinished runs that are due; the overview for a team's latest.
CREATE INDEX migration_runs_team_started ON migration_runs (team_id, started_at);
CREATE INDEX migration_runs_unfinished ON migration_runs (state, next_attempt_at);

-- Legacy partner workspaces not migrated yet, by team: the scheduler's due teams, a run's
-- next workspace and what is left cost what is left to migrate, not every workspace.
CREATE INDEX workspaces_not_migrated ON workspaces (team_id)
    WHERE legacy = 1 AND visibility = 'partner'
      AND (migration_state IS NULL OR migration_state <> 'migrated');
