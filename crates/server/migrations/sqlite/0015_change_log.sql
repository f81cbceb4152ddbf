-- Live updates (issue 17; PostgreSQL 0007): every change that may show on someone's open
-- page, numbered in commit order of this one database. The number is the event id of
-- `GET /api/events`, so a browser that reconnects is sent what it missed; rows older than
-- an hour are deleted by housekeeping (a browser gone longer is told to read everything
-- again).
CREATE TABLE change_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    team_id         TEXT NOT NULL,
    workspace_id    TEXT,
    partner_team_id TEXT,
    subject_id      TEXT,
    actor_id        TEXT,
    -- The browser tab that made it (X-Tab-Id), whose own stream isn't sent it back.
    origin          TEXT
);
CREATE INDEX change_log_at ON change_log (at);
