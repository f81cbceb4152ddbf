-- A publisher's list version (0004) becomes a random number drawn at every change instead of
-- the next number. A count goes back when an older copy of the database is restored under a
-- running server, and the next change after the restore would reach a number that, before
-- the restore, stood for other content: a page kept at that version would be served stale.
-- A random version stands for one point of the database's history only, so a page kept at
-- it is exactly what the list answered there, restored or not.

DROP TRIGGER partnership_summaries_version_insert;
DROP TRIGGER partnership_summaries_version_update;
DROP TRIGGER partnership_summaries_version_delete;

CREATE TRIGGER partnership_summaries_version_insert AFTER INSERT ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (NEW.publisher_team_id, random())
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = random();
END;

CREATE TRIGGER partnership_summaries_version_update AFTER UPDATE ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (OLD.publisher_team_id, random())
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = random();
    INSERT INTO partnership_versions SELECT NEW.publisher_team_id, random()
    WHERE NEW.publisher_team_id IS NOT OLD.publisher_team_id
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = random();
END;

CREATE TRIGGER partnership_summaries_version_delete AFTER DELETE ON partnership_summaries
BEGIN
    INSERT INTO partnership_versions VALUES (OLD.publisher_team_id, random())
    ON CONFLICT (publisher_team_id) DO UPDATE SET version = random();
END;

UPDATE partnership_versions SET version = random();
