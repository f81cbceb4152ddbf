-- The Partner Workspaces data model. Times are RFC 3339 UTC text; ids are opaque text.

CREATE TABLE teams (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    domain                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    plan                  TEXT NOT NULL CHECK (plan IN ('free', 'professional', 'enterprise')),
    editor_seats_included INTEGER NOT NULL DEFAULT 0 CHECK (editor_seats_included >= 0),
    sso_enforced          INTEGER NOT NULL DEFAULT 0 CHECK (sso_enforced IN (0, 1)),
    created_at            TEXT NOT NULL
);
CREATE INDEX teams_name ON teams (name COLLATE NOCASE);

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name               TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    -- A user belongs to at most one team; the role is set exactly when the team is.
    team_id            TEXT REFERENCES teams (id),
    team_role          TEXT CHECK (team_role IN ('admin', 'member')),
    is_partner_manager INTEGER NOT NULL DEFAULT 0 CHECK (is_partner_manager IN (0, 1)),
    last_sign_in_at    TEXT,
    last_sign_in_sso   INTEGER NOT NULL DEFAULT 0 CHECK (last_sign_in_sso IN (0, 1)),
    created_at         TEXT NOT NULL,
    CHECK ((team_id IS NULL) = (team_role IS NULL))
);
CREATE INDEX users_team ON users (team_id);

CREATE TABLE workspaces (
    id                 TEXT PRIMARY KEY,
    team_id            TEXT NOT NULL REFERENCES teams (id),
    name               TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    visibility         TEXT NOT NULL CHECK (visibility IN ('internal', 'partner')),
    multi_partner_mode INTEGER NOT NULL DEFAULT 0 CHECK (multi_partner_mode IN (0, 1)),
    -- Partner workspaces created before May 2025 use the legacy model until migrated.
    legacy             INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1)),
    migration_state    TEXT CHECK (migration_state IN ('legacy', 'scheduled', 'migrated')),
    migrated_at        TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX workspaces_team_name ON workspaces (team_id, name COLLATE NOCASE);

-- Workspace roles of the publisher team's own members.
CREATE TABLE workspace_members (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user ON workspace_members (user_id);

-- A partner's access to one workspace. It belongs to the partner's team at the time of
-- the grant: when they leave that team the grant is revoked, never silently revived.
CREATE TABLE partner_grants (
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_team_id   TEXT NOT NULL REFERENCES teams (id),
    publisher_team_id TEXT NOT NULL REFERENCES teams (id),
    role              TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    created_at        TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_reason    TEXT CHECK (revoked_reason IN ('left_team', 'removed')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX partner_grants_user ON partner_grants (user_id);
CREATE INDEX partner_grants_publisher ON partner_grants (publisher_team_id, partner_team_id);

CREATE TABLE access_requests (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    message      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'dropped')),
    created_at   TEXT NOT NULL,
    decided_at   TEXT,
    decided_by   TEXT REFERENCES users (id),
    notified_at  TEXT
);
-- One pending request per person and workspace.
CREATE UNIQUE INDEX access_requests_one_pending
    ON access_requests (workspace_id, user_id) WHERE status = 'pending';
CREATE INDEX access_requests_status ON access_requests (status, created_at);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Transactional outbox: written in the transaction of the change that causes the email.
CREATE TABLE email_outbox (
    id          TEXT PRIMARY KEY,
    -- Makes every email idempotent: the same cause never sends twice.
    dedupe_key  TEXT NOT NULL UNIQUE,
    to_email    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    link        TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, created_at);

-- Every change to partner access, for audits and access reviews.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    team_id      TEXT NOT NULL REFERENCES teams (id),
    action       TEXT NOT NULL,
    workspace_id TEXT,
    subject_id   TEXT,
    detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_team ON audit_log (team_id, at);
