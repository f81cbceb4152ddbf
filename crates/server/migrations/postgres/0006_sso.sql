-- Single sign-on (issue 16; SQLite 0014): how each session was made, "view as partner" sessions, each
-- team's OpenID Connect provider, sign-ins in flight, and publishers' SSO requirements.

-- How the session was made. A view session ("view as partner") is made from its viewer's
-- session (`view_parent`): it ends with it, reads as the partner (`user_id`) and only
-- within the publisher's workspaces (`view_publisher_id`, one workspace if
-- `view_workspace_id`).
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'sso'));
ALTER TABLE sessions ADD COLUMN view_parent BYTEA REFERENCES sessions (token_hash) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN viewer_id TEXT REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN view_publisher_id TEXT REFERENCES teams (id);
ALTER TABLE sessions ADD COLUMN view_workspace_id TEXT REFERENCES workspaces (id) ON DELETE CASCADE;
CREATE INDEX sessions_view_parent ON sessions (view_parent) WHERE view_parent IS NOT NULL;

-- A team's identity provider. The client secret is sealed (XChaCha20-Poly1305 with the
-- server's secret key, the team id as associated data): nonce then ciphertext.
CREATE TABLE team_sso_providers (
    team_id       TEXT PRIMARY KEY REFERENCES teams (id),
    issuer        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret BYTEA NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT REFERENCES users (id) ON DELETE SET NULL
);

-- SSO sign-ins started and not yet finished: taken (deleted) by the callback, so a state
-- works once, and only in the browser that started it (`browser_hash`: its cookie's hash).
CREATE TABLE sso_logins (
    state_hash    BYTEA PRIMARY KEY,
    browser_hash  BYTEA NOT NULL,
    team_id       TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sso_logins_expiry ON sso_logins (expires_at);

-- A publisher requires a partner team's people to open its workspaces from SSO sessions.
CREATE TABLE partner_sso_requirements (
    publisher_team_id TEXT NOT NULL REFERENCES teams (id),
    partner_team_id   TEXT NOT NULL REFERENCES teams (id),
    required_by       TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (publisher_team_id, partner_team_id)
);
