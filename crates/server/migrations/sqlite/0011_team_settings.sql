-- Team Settings and the partner side (issue 14).

-- Partner Lead: a partner the publisher lets invite and remove colleagues of their own team
-- in one workspace. Who gave each grant ("publishers see who invited whom"), and when its
-- holder last opened the workspace (External access).
ALTER TABLE partner_grants ADD COLUMN is_lead INTEGER NOT NULL DEFAULT 0 CHECK (is_lead IN (0, 1));
ALTER TABLE partner_grants ADD COLUMN invited_by TEXT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE partner_grants ADD COLUMN last_opened_at TEXT;

-- External access: a partner team's grants, by publisher (a team's own rows only).
CREATE INDEX partner_grants_partner_team
    ON partner_grants (partner_team_id, publisher_team_id, workspace_id);

-- Invitations to join a team: the link carries a token; only its hash is stored.
CREATE TABLE team_invitations (
    id          TEXT PRIMARY KEY,
    team_id     TEXT NOT NULL REFERENCES teams (id),
    email       TEXT NOT NULL COLLATE NOCASE,
    team_role   TEXT NOT NULL CHECK (team_role IN ('admin', 'member')),
    token_hash  BLOB NOT NULL UNIQUE,
    invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'revoked')),
    decided_at  TEXT
);
-- One pending invitation per team and address (ignoring case).
CREATE UNIQUE INDEX team_invitations_one_pending ON team_invitations (team_id, email) WHERE state = 'pending';
CREATE INDEX team_invitations_team ON team_invitations (team_id, state, created_at);
