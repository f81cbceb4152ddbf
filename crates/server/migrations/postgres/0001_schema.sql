-- The Partner Workspaces data model for PostgreSQL: the same tables, columns and rules as
-- the SQLite schema (migrations/sqlite, 0001-0010, as it stands after them), so one set of
-- statements (src/db/store) serves both. Times are RFC 3339 UTC text with a fixed number of
-- digits (they order as text); ids are opaque text; flags are booleans.
--
-- Where SQLite declares COLLATE NOCASE, this schema indexes the expression the statements
-- use (src/db/sql.rs): `ascii_lower(name)` for names ordered and matched ignoring ASCII case
-- (SQLite's NOCASE folds only ASCII), `lower(email)` / `lower(domain)` for addresses.

-- ASCII case folding, as SQLite's NOCASE, LIKE and lower() do.
CREATE FUNCTION ascii_lower(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');

CREATE TABLE teams (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    domain                TEXT NOT NULL,
    plan                  TEXT NOT NULL CHECK (plan IN ('free', 'professional', 'enterprise')),
    editor_seats_included BIGINT NOT NULL DEFAULT 0 CHECK (editor_seats_included >= 0),
    sso_enforced          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_domain ON teams (lower(domain));
CREATE INDEX teams_name ON teams (ascii_lower(name));

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,
    name               TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    -- A user belongs to at most one team; the role is set exactly when the team is.
    team_id            TEXT REFERENCES teams (id),
    team_role          TEXT CHECK (team_role IN ('admin', 'member')),
    is_partner_manager BOOLEAN NOT NULL DEFAULT FALSE,
    last_sign_in_at    TEXT,
    last_sign_in_sso   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         TEXT NOT NULL,
    CHECK ((team_id IS NULL) = (team_role IS NULL))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_team ON users (team_id);


-- One migration of a team's legacy partner workspaces (see the SQLite 0002 and 0006).
CREATE TABLE migration_runs (
    id                  TEXT PRIMARY KEY,
    team_id             TEXT NOT NULL REFERENCES teams (id),
    kind                TEXT NOT NULL CHECK (kind IN ('on_demand', 'scheduled')),
    requested_by        TEXT REFERENCES users (id) ON DELETE SET NULL,
    state               TEXT NOT NULL CHECK (state IN ('running', 'done')),
    started_at          TEXT NOT NULL,
    finished_at         TEXT,
    failed_attempts     BIGINT NOT NULL DEFAULT 0,
    last_error          TEXT,
    next_attempt_at     TEXT,
    people_emailed      BIGINT,
    workspaces_migrated BIGINT NOT NULL DEFAULT 0
);
-- At most one unfinished run per team.
CREATE UNIQUE INDEX migration_runs_one_running ON migration_runs (team_id) WHERE state = 'running';
CREATE INDEX migration_runs_team_started ON migration_runs (team_id, started_at);
CREATE INDEX migration_runs_unfinished ON migration_runs (state, next_attempt_at);

CREATE TABLE workspaces (
    id                 TEXT PRIMARY KEY,
    team_id            TEXT NOT NULL REFERENCES teams (id),
    name               TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    visibility         TEXT NOT NULL CHECK (visibility IN ('internal', 'partner')),
    multi_partner_mode BOOLEAN NOT NULL DEFAULT FALSE,
    -- Partner workspaces created before May 2025 use the legacy model until migrated.
    legacy             BOOLEAN NOT NULL DEFAULT FALSE,
    migration_state    TEXT CHECK (migration_state IN ('legacy', 'scheduled', 'migrated')),
    migrated_at        TEXT,
    created_at         TEXT NOT NULL,
    migration_run_id   TEXT REFERENCES migration_runs (id)
);
CREATE INDEX workspaces_team_name ON workspaces (team_id, ascii_lower(name));
CREATE INDEX workspaces_migration_run ON workspaces (migration_run_id);
CREATE INDEX workspaces_legacy ON workspaces (team_id, legacy, migration_state);
CREATE INDEX workspaces_not_migrated ON workspaces (team_id)
    WHERE legacy AND visibility = 'partner'
      AND (migration_state IS NULL OR migration_state <> 'migrated');

-- Workspace roles of the publisher team's own members.
CREATE TABLE workspace_members (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user ON workspace_members (user_id);

-- A partner's access to one workspace, belonging to the partner's team at the time of the
-- grant: when they leave that team the grant is revoked, never silently revived.
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
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role              TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    message           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'dropped')),
    created_at        TEXT NOT NULL,
    decided_at        TEXT,
    decided_by        TEXT REFERENCES users (id),
    notified_at       TEXT,
    publisher_team_id TEXT REFERENCES teams (id)
);
-- One pending request per person and workspace (also across servers: the insert names
-- this index in its ON CONFLICT).
CREATE UNIQUE INDEX access_requests_one_pending
    ON access_requests (workspace_id, user_id) WHERE status = 'pending';
CREATE INDEX access_requests_unnotified ON access_requests (status, notified_at, created_at);
CREATE INDEX access_requests_publisher
    ON access_requests (publisher_team_id, status, created_at DESC, id);
CREATE INDEX access_requests_requester ON access_requests (workspace_id, user_id, created_at);
CREATE INDEX access_requests_decided ON access_requests (decided_at) WHERE status <> 'pending';

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

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Transactional outbox, claimed by one sender at a time (SQLite 0007).
CREATE TABLE email_outbox (
    id            TEXT PRIMARY KEY,
    dedupe_key    TEXT NOT NULL UNIQUE,
    to_email      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    text_body     TEXT NOT NULL,
    html_body     TEXT NOT NULL,
    link          TEXT,
    created_at    TEXT NOT NULL,
    sent_at       TEXT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT,
    claimed_by    TEXT,
    claimed_until BIGINT,
    retry_at      BIGINT
);
CREATE INDEX email_outbox_pending ON email_outbox (sent_at, created_at);

-- Every change to partner access, for audits and access reviews.
CREATE TABLE audit_log (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    team_id      TEXT NOT NULL REFERENCES teams (id),
    action       TEXT NOT NULL,
    workspace_id TEXT,
    subject_id   TEXT,
    detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_team ON audit_log (team_id, at);
