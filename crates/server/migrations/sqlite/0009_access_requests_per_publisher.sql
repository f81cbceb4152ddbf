-- Access requests listed per publisher from an index of their own: the list was read through
-- the status index of every team's requests, so a team's page cost what all teams had.
-- A workspace never changes publisher, so the publisher is stored with the request.

ALTER TABLE access_requests ADD COLUMN publisher_team_id TEXT REFERENCES teams (id);
UPDATE access_requests
SET publisher_team_id = (SELECT team_id FROM workspaces WHERE workspaces.id = access_requests.workspace_id);

-- The list: one publisher, one status, newest first (ties by id), a page at a time.
CREATE INDEX access_requests_publisher
    ON access_requests (publisher_team_id, status, created_at DESC, id);
-- A person's latest request for a workspace (the workspace page's "Request access").
CREATE INDEX access_requests_requester ON access_requests (workspace_id, user_id, created_at);
-- Decided requests leave the list after a while (the archive job), oldest decision first.
CREATE INDEX access_requests_decided ON access_requests (decided_at) WHERE status <> 'pending';
-- Nothing reads requests by status alone any more.
DROP INDEX access_requests_status;

-- Decided requests older than the list keeps them (jobs.rs), as they were; the audit log
-- keeps every decision too.
CREATE TABLE access_requests_archive (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    publisher_team_id TEXT,
    role              TEXT NOT NULL,
    message           TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    decided_at        TEXT,
    decided_by        TEXT,
    notified_at       TEXT,
    archived_at       TEXT NOT NULL
);
CREATE INDEX access_requests_archive_publisher ON access_requests_archive (publisher_team_id, decided_at);
