-- Team Settings > Partnerships: a version per publisher team that moves with every change
-- to its list. Every figure, name and order of the list is read from its summary rows
-- (migration 0003), so every insert, update and delete of one of them moves the version; a
-- page of the list answered before is served again only while the version is the one it
-- was answered at (`partnerships_cache.rs`).

CREATE TABLE partnership_versions (
    publisher_team_id TEXT PRIMARY KEY,
    version           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER partnership_summaries_version_insert AFTER INSERT ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (NEW.publisher_team_id, 1)
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER partnership_summaries_version_update AFTER UPDATE ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (OLD.publisher_team_id, 1)
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = version + 1;
    INSERT INTO partnership_versions SELECT NEW.publisher_team_id, 1
    WHERE NEW.publisher_team_id IS NOT OLD.publisher_team_id
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER partnership_summaries_version_delete AFTER DELETE ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (OLD.publisher_team_id, 1)
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = version + 1;
END;

INSERT INTO partnership_versions
SELECT DISTINCT publisher_team_id, 1 FROM partnership_summaries;
