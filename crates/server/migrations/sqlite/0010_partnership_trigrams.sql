-- Search of Team Settings > Partnerships from an index per publisher. The trigram index of
-- 0003 (FTS5) held every publisher's partner teams in one index: a search found the matches
-- of every company first and then kept the caller's, so a small team's search cost what all
-- teams had. Here every trigram is stored under its publisher, and a search reads only the
-- caller's entries.
--
-- What is indexed is unchanged: the name and the domain, each lowered (ASCII, as LIKE folds
-- case) and closed by a unit separator, so that every one or two characters of them begin a
-- trigram (a two-character search reads the trigrams that begin with it).

-- Positions in a text, for the triggers (which can't use WITH). Longer names and domains
-- than this are not expected (domains stop at 253); their tail is not indexed.
CREATE TABLE partnership_positions (n INTEGER PRIMARY KEY);
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 1024)
INSERT INTO partnership_positions (n) SELECT n FROM k;

-- A small number per publisher, so that each trigram entry stays a few bytes.
CREATE TABLE partnership_publisher_keys (
    publisher_team_id TEXT PRIMARY KEY,
    key               INTEGER NOT NULL UNIQUE
);

-- One row per (publisher, distinct trigram of a summary's name or domain, summary). The
-- triggers insert DISTINCT trigrams: an OR IGNORE inside a trigger gives way to the conflict
-- clause of the statement that fired it (an upsert of a grant, say).
CREATE TABLE partnership_trigrams (
    publisher_key INTEGER NOT NULL,
    trigram       TEXT NOT NULL,
    summary_id    INTEGER NOT NULL,
    PRIMARY KEY (publisher_key, trigram, summary_id)
) WITHOUT ROWID;

-- The FTS5 index goes: its triggers are replaced by ones without it.
DROP TRIGGER partnership_summaries_insert;
DROP TRIGGER partnership_summaries_delete;
DROP TRIGGER partnership_summaries_rename;
DROP TABLE partnership_search_terms;
DROP TABLE partnership_search;

CREATE TRIGGER partnership_summaries_insert AFTER INSERT ON partnership_summaries
BEGIN
    INSERT INTO partnership_publisher_keys (publisher_team_id, key)
    SELECT NEW.publisher_team_id, (SELECT COALESCE(MAX(key), 0) + 1 FROM partnership_publisher_keys)
    WHERE NOT EXISTS (SELECT 1 FROM partnership_publisher_keys WHERE publisher_team_id = NEW.publisher_team_id);
    INSERT OR IGNORE INTO partnership_trigrams (publisher_key, trigram, summary_id)
    SELECT DISTINCT k.key, substr(x.t, p.n, 3), NEW.id
    FROM partnership_publisher_keys k,
         (SELECT lower(NEW.name) || char(31) AS t UNION ALL SELECT lower(NEW.domain) || char(31)) x,
         partnership_positions p
    WHERE k.publisher_team_id = NEW.publisher_team_id AND p.n <= length(x.t) - 2;
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
    DELETE FROM partnership_trigrams
    WHERE publisher_key = (SELECT key FROM partnership_publisher_keys WHERE publisher_team_id = OLD.publisher_team_id)
      AND trigram IN (
          SELECT substr(x.t, p.n, 3)
          FROM (SELECT lower(OLD.name) || char(31) AS t UNION ALL SELECT lower(OLD.domain) || char(31)) x,
               partnership_positions p
          WHERE p.n <= length(x.t) - 2)
      AND summary_id = OLD.id;
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

-- Summaries never change publisher (a pair is its key), only the copies of the team's name
-- and domain.
CREATE TRIGGER partnership_summaries_rename AFTER UPDATE OF name, domain ON partnership_summaries
WHEN OLD.name IS NOT NEW.name OR OLD.domain IS NOT NEW.domain
BEGIN
    DELETE FROM partnership_trigrams
    WHERE publisher_key = (SELECT key FROM partnership_publisher_keys WHERE publisher_team_id = OLD.publisher_team_id)
      AND trigram IN (
          SELECT substr(x.t, p.n, 3)
          FROM (SELECT lower(OLD.name) || char(31) AS t UNION ALL SELECT lower(OLD.domain) || char(31)) x,
               partnership_positions p
          WHERE p.n <= length(x.t) - 2)
      AND summary_id = OLD.id;
    INSERT OR IGNORE INTO partnership_trigrams (publisher_key, trigram, summary_id)
    SELECT DISTINCT k.key, substr(x.t, p.n, 3), NEW.id
    FROM partnership_publisher_keys k,
         (SELECT lower(NEW.name) || char(31) AS t UNION ALL SELECT lower(NEW.domain) || char(31)) x,
         partnership_positions p
    WHERE k.publisher_team_id = NEW.publisher_team_id AND p.n <= length(x.t) - 2;
END;

-- The index of the summaries already there.
INSERT INTO partnership_publisher_keys (publisher_team_id, key)
SELECT publisher_team_id, ROW_NUMBER() OVER (ORDER BY publisher_team_id)
FROM (SELECT DISTINCT publisher_team_id FROM partnership_summaries);
INSERT OR IGNORE INTO partnership_trigrams (publisher_key, trigram, summary_id)
SELECT k.key, substr(x.t, p.n, 3), x.id
FROM (SELECT id, publisher_team_id, lower(name) || char(31) AS t FROM partnership_summaries
      UNION ALL
      SELECT id, publisher_team_id, lower(domain) || char(31) FROM partnership_summaries) x
JOIN partnership_publisher_keys k ON k.publisher_team_id = x.publisher_team_id
JOIN partnership_positions p ON p.n <= length(x.t) - 2;
