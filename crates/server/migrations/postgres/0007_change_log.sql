-- Live updates (issue 17; SQLite 0015): every change that may show on someone's open page.
-- Its number is the event id of `GET /api/events` (a browser that reconnects is sent what
-- it missed). Numbers are taken in insert order and committed in any order, so a resume
-- also reads the few seconds before the last number seen. Each insert is announced with
-- NOTIFY partner_changes at commit, which every server LISTENs to. Rows older than an hour
-- are deleted by housekeeping.
CREATE TABLE change_log (
    id              BIGSERIAL PRIMARY KEY,
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
