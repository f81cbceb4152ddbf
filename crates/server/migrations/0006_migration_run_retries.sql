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

-- The scheduler looks for unfinished runs that are due; the overview for a team's latest.
CREATE INDEX migration_runs_team_started ON migration_runs (team_id, started_at);
CREATE INDEX migration_runs_unfinished ON migration_runs (state, next_attempt_at);
