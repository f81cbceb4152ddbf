-- Email delivery retries and resumable migrations of legacy partner workspaces.

-- A failed delivery is retried after a back-off; `attempts` (0001) counts every try.
ALTER TABLE email_outbox ADD COLUMN next_attempt_at TEXT;

-- The access-request digest looks for pending requests nobody has been told about yet.
CREATE INDEX access_requests_unnotified ON access_requests (status, notified_at, created_at);

-- One migration of a team's legacy partner workspaces. Workspaces are migrated one
-- transaction each and name their run; when none is left, the run's emails (one per
-- person, listing all the run's workspaces) are written in one transaction that also
-- marks the run done. A run left `running` by a crash is finished on the next start.
CREATE TABLE migration_runs (
    id           TEXT PRIMARY KEY,
    team_id      TEXT NOT NULL REFERENCES teams (id),
    kind         TEXT NOT NULL CHECK (kind IN ('on_demand', 'scheduled')),
    requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    state        TEXT NOT NULL CHECK (state IN ('running', 'done')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT
);
-- At most one unfinished run per team.
CREATE UNIQUE INDEX migration_runs_one_running ON migration_runs (team_id) WHERE state = 'running';

ALTER TABLE workspaces ADD COLUMN migration_run_id TEXT REFERENCES migration_runs (id);
CREATE INDEX workspaces_migration_run ON workspaces (migration_run_id);
CREATE INDEX workspaces_legacy ON workspaces (team_id, legacy, migration_state);
