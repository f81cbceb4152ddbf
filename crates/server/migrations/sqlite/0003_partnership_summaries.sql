-- Team Settings > Partnerships at scale: one summary row per (publisher team, partner team)
-- with the counts the list shows, kept exactly right by triggers, so a page of the list is
-- one index range scan instead of an aggregate over every partner grant.
--
-- "Active" is the rule of `db::workspaces::active_grant!`: a grant counts while it is not
-- revoked and its holder is still in the team it was given to.

CREATE TABLE partnership_summaries (
    -- The rowid, named so the search index can point at it.
    id                INTEGER PRIMARY KEY,
    publisher_team_id TEXT NOT NULL,
    partner_team_id   TEXT NOT NULL,
    -- Copies of the partner team's, so that every sort and filter is one index.
    name              TEXT NOT NULL,
    domain            TEXT NOT NULL,
    sso_enforced      INTEGER NOT NULL,
    -- What the search index holds: name and domain, each closed by a unit separator so that
    -- every one or two characters of them begin a trigram (see partnership_search).
    search_name       TEXT GENERATED ALWAYS AS (name || char(31)) VIRTUAL,
    search_domain     TEXT GENERATED ALWAYS AS (domain || char(31)) VIRTUAL,
    -- One bit for each of a-z, 0-9, '.' and '-' (in that order) that occurs in the name or
    -- the domain, ignoring ASCII case: a search of one of them is this bit (and its total in
    -- partnership_char_totals), and searches that scan check it before LIKE.
    chars_mask        INTEGER GENERATED ALWAYS AS (
        (instr(lower(name || char(31) || domain), 'a') > 0) |
        ((instr(lower(name || char(31) || domain), 'b') > 0) << 1) |
        ((instr(lower(name || char(31) || domain), 'c') > 0) << 2) |
        ((instr(lower(name || char(31) || domain), 'd') > 0) << 3) |
        ((instr(lower(name || char(31) || domain), 'e') > 0) << 4) |
        ((instr(lower(name || char(31) || domain), 'f') > 0) << 5) |
        ((instr(lower(name || char(31) || domain), 'g') > 0) << 6) |
        ((instr(lower(name || char(31) || domain), 'h') > 0) << 7) |
        ((instr(lower(name || char(31) || domain), 'i') > 0) << 8) |
        ((instr(lower(name || char(31) || domain), 'j') > 0) << 9) |
        ((instr(lower(name || char(31) || domain), 'k') > 0) << 10) |
        ((instr(lower(name || char(31) || domain), 'l') > 0) << 11) |
        ((instr(lower(name || char(31) || domain), 'm') > 0) << 12) |
        ((instr(lower(name || char(31) || domain), 'n') > 0) << 13) |
        ((instr(lower(name || char(31) || domain), 'o') > 0) << 14) |
        ((instr(lower(name || char(31) || domain), 'p') > 0) << 15) |
        ((instr(lower(name || char(31) || domain), 'q') > 0) << 16) |
        ((instr(lower(name || char(31) || domain), 'r') > 0) << 17) |
        ((instr(lower(name || char(31) || domain), 's') > 0) << 18) |
        ((instr(lower(name || char(31) || domain), 't') > 0) << 19) |
        ((instr(lower(name || char(31) || domain), 'u') > 0) << 20) |
        ((instr(lower(name || char(31) || domain), 'v') > 0) << 21) |
        ((instr(lower(name || char(31) || domain), 'w') > 0) << 22) |
        ((instr(lower(name || char(31) || domain), 'x') > 0) << 23) |
        ((instr(lower(name || char(31) || domain), 'y') > 0) << 24) |
        ((instr(lower(name || char(31) || domain), 'z') > 0) << 25) |
        ((instr(lower(name || char(31) || domain), '0') > 0) << 26) |
        ((instr(lower(name || char(31) || domain), '1') > 0) << 27) |
        ((instr(lower(name || char(31) || domain), '2') > 0) << 28) |
        ((instr(lower(name || char(31) || domain), '3') > 0) << 29) |
        ((instr(lower(name || char(31) || domain), '4') > 0) << 30) |
        ((instr(lower(name || char(31) || domain), '5') > 0) << 31) |
        ((instr(lower(name || char(31) || domain), '6') > 0) << 32) |
        ((instr(lower(name || char(31) || domain), '7') > 0) << 33) |
        ((instr(lower(name || char(31) || domain), '8') > 0) << 34) |
        ((instr(lower(name || char(31) || domain), '9') > 0) << 35) |
        ((instr(lower(name || char(31) || domain), '.') > 0) << 36) |
        ((instr(lower(name || char(31) || domain), '-') > 0) << 37)
    ) STORED,
    -- People of the partner team with an active grant in the publisher's workspaces, how
    -- many of them last signed in with SSO, those workspaces, their latest sign-in, and
    -- the grants that take a Partner Editor seat.
    partner_count     INTEGER NOT NULL,
    partners_sso      INTEGER NOT NULL,
    workspace_count   INTEGER NOT NULL,
    last_active_at    TEXT,
    editor_grants     INTEGER NOT NULL,
    UNIQUE (publisher_team_id, partner_team_id)
);

-- One index per sort of the list, in the order it is read (ties by name, then id); the
-- trailing columns let the search and the SSO filter be checked without reading the row.
CREATE INDEX partnership_summaries_name ON partnership_summaries
    (publisher_team_id, name COLLATE NOCASE, partner_team_id, domain, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_partners ON partnership_summaries
    (publisher_team_id, partner_count, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_partners_desc ON partnership_summaries
    (publisher_team_id, partner_count DESC, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_workspaces ON partnership_summaries
    (publisher_team_id, workspace_count, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_workspaces_desc ON partnership_summaries
    (publisher_team_id, workspace_count DESC, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
-- Teams nobody has signed in from come last in both directions.
CREATE INDEX partnership_summaries_active ON partnership_summaries
    (publisher_team_id, last_active_at IS NULL, last_active_at, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_active_desc ON partnership_summaries
    (publisher_team_id, last_active_at IS NULL, last_active_at DESC, name COLLATE NOCASE, partner_team_id, sso_enforced, chars_mask);
CREATE INDEX partnership_summaries_partner ON partnership_summaries (partner_team_id);

-- Substring search of name and domain: trigrams find the candidates of a search of three or
-- more characters, and the query confirms each with the LIKE the list has always used. Two
-- characters begin at least one trigram wherever they occur (the separator closes each
-- text), so the terms that begin with them find the candidates of a two-character search.
CREATE VIRTUAL TABLE partnership_search USING fts5 (
    search_name, search_domain, content = 'partnership_summaries', content_rowid = 'id',
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE partnership_search_terms USING fts5vocab (partnership_search, 'row');

-- Per publisher: the list's totals, the SSO coverage and the Partner Editor seats used,
-- without counting rows.
CREATE TABLE partnership_totals (
    publisher_team_id  TEXT PRIMARY KEY,
    teams              INTEGER NOT NULL,
    teams_sso_enforced INTEGER NOT NULL,
    partners           INTEGER NOT NULL,
    partners_sso       INTEGER NOT NULL,
    editor_grants      INTEGER NOT NULL
);

-- Per publisher and tracked character (the bits of `chars_mask`): the partner teams whose
-- name or domain has it, so a one-character search counts without a scan.
CREATE TABLE partnership_char_totals (
    publisher_team_id  TEXT NOT NULL,
    bit                INTEGER NOT NULL,
    teams              INTEGER NOT NULL,
    teams_sso_enforced INTEGER NOT NULL,
    PRIMARY KEY (publisher_team_id, bit)
) WITHOUT ROWID;

-- The bits of `chars_mask`, one row each, for the triggers that keep the totals above.
CREATE TABLE partnership_mask_bits (bit INTEGER PRIMARY KEY);
INSERT INTO partnership_mask_bits (bit) VALUES
    (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15),
    (16), (17), (18), (19), (20), (21), (22), (23), (24), (25), (26), (27), (28), (29), (30),
    (31), (32), (33), (34), (35), (36), (37);

-- Inserting (publisher_team_id, partner_team_id) here recomputes that pair's summary from
-- the grants: the one place the counts are defined. Every trigger below goes through it.
CREATE VIEW partnership_refresh AS
    SELECT publisher_team_id, partner_team_id FROM partnership_summaries WHERE 0;

-- Bulk loads (`partner-server generate`) add a row here inside their transaction: the pairs
-- they touch are noted in partnership_refresh_pending, and recomputed once each when the
-- load removes the row again before it commits (Db::generate).
CREATE TABLE partnership_refresh_paused (paused INTEGER PRIMARY KEY CHECK (paused = 1));
CREATE TABLE partnership_refresh_pending (
    publisher_team_id TEXT NOT NULL,
    partner_team_id   TEXT NOT NULL,
    PRIMARY KEY (publisher_team_id, partner_team_id)
) WITHOUT ROWID;

CREATE TRIGGER partnership_refresh_later INSTEAD OF INSERT ON partnership_refresh
WHEN EXISTS (SELECT 1 FROM partnership_refresh_paused)
BEGIN
    INSERT OR IGNORE INTO partnership_refresh_pending (publisher_team_id, partner_team_id)
    VALUES (NEW.publisher_team_id, NEW.partner_team_id);
END;

CREATE TRIGGER partnership_refresh_pair INSTEAD OF INSERT ON partnership_refresh
WHEN NOT EXISTS (SELECT 1 FROM partnership_refresh_paused)
BEGIN
    INSERT INTO partnership_summaries (publisher_team_id, partner_team_id, name, domain, sso_enforced,
                                       partner_count, partners_sso, workspace_count, last_active_at,
                                       editor_grants)
    SELECT g.publisher_team_id, g.partner_team_id, t.name, t.domain, t.sso_enforced,
           COUNT(DISTINCT g.user_id),
           COUNT(DISTINCT CASE WHEN u.last_sign_in_sso THEN g.user_id END),
           COUNT(DISTINCT g.workspace_id),
           MAX(u.last_sign_in_at),
           COUNT(CASE WHEN g.role = 'editor' THEN 1 END)
    FROM partner_grants g
    JOIN users u ON u.id = g.user_id
    JOIN teams t ON t.id = g.partner_team_id
    WHERE g.publisher_team_id = NEW.publisher_team_id AND g.partner_team_id = NEW.partner_team_id
      AND g.revoked_at IS NULL AND u.team_id = g.partner_team_id
    GROUP BY g.publisher_team_id, g.partner_team_id
    ON CONFLICT (publisher_team_id, partner_team_id) DO UPDATE SET
        partner_count = excluded.partner_count,
        partners_sso = excluded.partners_sso,
        workspace_count = excluded.workspace_count,
        last_active_at = excluded.last_active_at,
        editor_grants = excluded.editor_grants
    WHERE partner_count IS NOT excluded.partner_count
       OR partners_sso IS NOT excluded.partners_sso
       OR workspace_count IS NOT excluded.workspace_count
       OR last_active_at IS NOT excluded.last_active_at
       OR editor_grants IS NOT excluded.editor_grants;
    DELETE FROM partnership_summaries
    WHERE publisher_team_id = NEW.publisher_team_id AND partner_team_id = NEW.partner_team_id
      AND NOT EXISTS (
          SELECT 1 FROM partner_grants g JOIN users u ON u.id = g.user_id
          WHERE g.publisher_team_id = NEW.publisher_team_id AND g.partner_team_id = NEW.partner_team_id
            AND g.revoked_at IS NULL AND u.team_id = g.partner_team_id);
END;

-- Grants: given, revoked, re-given, moved, re-roled, deleted (also by cascades).
CREATE TRIGGER partner_grants_summary_insert AFTER INSERT ON partner_grants
WHEN NEW.revoked_at IS NULL
BEGIN
    INSERT INTO partnership_refresh VALUES (NEW.publisher_team_id, NEW.partner_team_id);
END;

CREATE TRIGGER partner_grants_summary_update
AFTER UPDATE OF revoked_at, partner_team_id, publisher_team_id, user_id, workspace_id, role ON partner_grants
WHEN OLD.revoked_at IS NOT NEW.revoked_at OR OLD.partner_team_id IS NOT NEW.partner_team_id
  OR OLD.publisher_team_id IS NOT NEW.publisher_team_id OR OLD.user_id IS NOT NEW.user_id
  OR OLD.workspace_id IS NOT NEW.workspace_id OR OLD.role IS NOT NEW.role
BEGIN
    INSERT INTO partnership_refresh VALUES (OLD.publisher_team_id, OLD.partner_team_id);
    INSERT INTO partnership_refresh SELECT NEW.publisher_team_id, NEW.partner_team_id
    WHERE NEW.publisher_team_id IS NOT OLD.publisher_team_id OR NEW.partner_team_id IS NOT OLD.partner_team_id;
END;

CREATE TRIGGER partner_grants_summary_delete AFTER DELETE ON partner_grants
WHEN OLD.revoked_at IS NULL
BEGIN
    INSERT INTO partnership_refresh VALUES (OLD.publisher_team_id, OLD.partner_team_id);
END;

-- People: joining or leaving a team turns their grants on or off; a sign-in moves the
-- team's last activity and SSO share.
CREATE TRIGGER users_summary_update
AFTER UPDATE OF team_id, last_sign_in_at, last_sign_in_sso ON users
WHEN OLD.team_id IS NOT NEW.team_id OR OLD.last_sign_in_at IS NOT NEW.last_sign_in_at
  OR OLD.last_sign_in_sso IS NOT NEW.last_sign_in_sso
BEGIN
    INSERT INTO partnership_refresh
    SELECT DISTINCT publisher_team_id, partner_team_id FROM partner_grants
    WHERE user_id = NEW.id AND revoked_at IS NULL;
END;

-- Teams: the copies of name, domain and SSO follow the team.
CREATE TRIGGER teams_summary_update AFTER UPDATE OF name, domain, sso_enforced ON teams
WHEN OLD.name IS NOT NEW.name OR OLD.domain IS NOT NEW.domain OR OLD.sso_enforced IS NOT NEW.sso_enforced
BEGIN
    UPDATE partnership_summaries SET name = NEW.name, domain = NEW.domain, sso_enforced = NEW.sso_enforced
    WHERE partner_team_id = NEW.id;
END;

-- Summaries: the search index and the totals follow every summary row.
CREATE TRIGGER partnership_summaries_insert AFTER INSERT ON partnership_summaries
BEGIN
    INSERT INTO partnership_search (rowid, search_name, search_domain)
    VALUES (NEW.id, NEW.name || char(31), NEW.domain || char(31));
    INSERT INTO partnership_totals (publisher_team_id, teams, teams_sso_enforced, partners, partners_sso,
                                    editor_grants)
    VALUES (NEW.publisher_team_id, 1, NEW.sso_enforced, NEW.partner_count, NEW.partners_sso,
            NEW.editor_grants)
    ON CONFLICT (publisher_team_id) DO UPDATE SET
        teams = teams + 1,
        teams_sso_enforced = teams_sso_enforced + excluded.teams_sso_enforced,
        partners = partners + excluded.partners,
        partners_sso = partners_sso + excluded.partners_sso,
        editor_grants = editor_grants + excluded.editor_grants;
    INSERT INTO partnership_char_totals (publisher_team_id, bit, teams, teams_sso_enforced)
    SELECT NEW.publisher_team_id, b.bit, 1, NEW.sso_enforced FROM partnership_mask_bits b
    WHERE NEW.chars_mask & (1 << b.bit) <> 0
    ON CONFLICT (publisher_team_id, bit) DO UPDATE SET
        teams = teams + 1,
        teams_sso_enforced = teams_sso_enforced + excluded.teams_sso_enforced;
END;

CREATE TRIGGER partnership_summaries_delete AFTER DELETE ON partnership_summaries
BEGIN
    INSERT INTO partnership_search (partnership_search, rowid, search_name, search_domain)
    VALUES ('delete', OLD.id, OLD.name || char(31), OLD.domain || char(31));
    UPDATE partnership_totals SET
        teams = teams - 1,
        teams_sso_enforced = teams_sso_enforced - OLD.sso_enforced,
        partners = partners - OLD.partner_count,
        partners_sso = partners_sso - OLD.partners_sso,
        editor_grants = editor_grants - OLD.editor_grants
    WHERE publisher_team_id = OLD.publisher_team_id;
    UPDATE partnership_char_totals SET
        teams = teams - 1,
        teams_sso_enforced = teams_sso_enforced - OLD.sso_enforced
    WHERE publisher_team_id = OLD.publisher_team_id AND OLD.chars_mask & (1 << bit) <> 0;
END;

CREATE TRIGGER partnership_summaries_rename AFTER UPDATE OF name, domain ON partnership_summaries
BEGIN
    INSERT INTO partnership_search (partnership_search, rowid, search_name, search_domain)
    VALUES ('delete', OLD.id, OLD.name || char(31), OLD.domain || char(31));
    INSERT INTO partnership_search (rowid, search_name, search_domain)
    VALUES (NEW.id, NEW.name || char(31), NEW.domain || char(31));
END;

-- A renamed team or a change of SSO moves the team between the character totals.
CREATE TRIGGER partnership_summaries_chars AFTER UPDATE OF name, domain, sso_enforced ON partnership_summaries
BEGIN
    UPDATE partnership_char_totals SET
        teams = teams - 1,
        teams_sso_enforced = teams_sso_enforced - OLD.sso_enforced
    WHERE publisher_team_id = OLD.publisher_team_id AND OLD.chars_mask & (1 << bit) <> 0;
    INSERT INTO partnership_char_totals (publisher_team_id, bit, teams, teams_sso_enforced)
    SELECT NEW.publisher_team_id, b.bit, 1, NEW.sso_enforced FROM partnership_mask_bits b
    WHERE NEW.chars_mask & (1 << b.bit) <> 0
    ON CONFLICT (publisher_team_id, bit) DO UPDATE SET
        teams = teams + 1,
        teams_sso_enforced = teams_sso_enforced + excluded.teams_sso_enforced;
END;

CREATE TRIGGER partnership_summaries_update
AFTER UPDATE OF sso_enforced, partner_count, partners_sso, editor_grants ON partnership_summaries
BEGIN
    UPDATE partnership_totals SET
        teams_sso_enforced = teams_sso_enforced - OLD.sso_enforced + NEW.sso_enforced,
        partners = partners - OLD.partner_count + NEW.partner_count,
        partners_sso = partners_sso - OLD.partners_sso + NEW.partners_sso,
        editor_grants = editor_grants - OLD.editor_grants + NEW.editor_grants
    WHERE publisher_team_id = NEW.publisher_team_id;
END;

-- The summaries of the data already there.
INSERT INTO partnership_refresh
SELECT DISTINCT publisher_team_id, partner_team_id FROM partner_grants WHERE revoked_at IS NULL;
