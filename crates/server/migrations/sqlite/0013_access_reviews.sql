-- Access reviews (issue 15): reviewers keep or remove each partner grant in scope by a due
-- date; the job applies the decisions then.
CREATE TABLE access_reviews (
    id          TEXT PRIMARY KEY,
    team_id     TEXT NOT NULL REFERENCES teams (id),
    scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('all', 'partner_team', 'workspace')),
    scope_id    TEXT,
    scope_label TEXT NOT NULL,
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    undecided   TEXT NOT NULL CHECK (undecided IN ('keep', 'remove')),
    state       TEXT NOT NULL CHECK (state IN ('open', 'applied')),
    applied_at  TEXT
);
CREATE INDEX access_reviews_team ON access_reviews (team_id, state, created_at);
CREATE INDEX access_reviews_due ON access_reviews (due_at) WHERE state = 'open';

CREATE TABLE access_review_reviewers (
    review_id TEXT NOT NULL REFERENCES access_reviews (id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX access_review_reviewers_user ON access_review_reviewers (user_id);

-- The grants in scope when the review started; `granted_at` tells a grant given again
-- later (a different grant, not under review) from the one reviewed.
CREATE TABLE access_review_items (
    review_id       TEXT NOT NULL REFERENCES access_reviews (id) ON DELETE CASCADE,
    workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partner_team_id TEXT NOT NULL REFERENCES teams (id),
    role            TEXT NOT NULL,
    granted_at      TEXT NOT NULL,
    decision        TEXT CHECK (decision IN ('keep', 'remove')),
    decided_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    decided_at      TEXT,
    applied_at      TEXT,
    PRIMARY KEY (review_id, workspace_id, user_id)
);
