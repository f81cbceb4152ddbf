-- Team Settings and the partner side (issue 14); as the SQLite 0011.

ALTER TABLE partner_grants ADD COLUMN is_lead BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE partner_grants ADD COLUMN invited_by TEXT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE partner_grants ADD COLUMN last_opened_at TEXT;

CREATE INDEX partner_grants_partner_team
    ON partner_grants (partner_team_id, publisher_team_id, workspace_id);

CREATE TABLE team_invitations (
    id          TEXT PRIMARY KEY,
    team_id     TEXT NOT NULL REFERENCES teams (id),
    email       TEXT NOT NULL,
    team_role   TEXT NOT NULL CHECK (team_role IN ('admin', 'member')),
    token_hash  BYTEA NOT NULL UNIQUE,
    invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'revoked')),
    decided_at  TEXT
);
CREATE UNIQUE INDEX team_invitations_one_pending ON team_invitations (team_id, lower(email)) WHERE state = 'pending';
CREATE INDEX team_invitations_team ON team_invitations (team_id, state, created_at);
