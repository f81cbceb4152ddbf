-- Governance (issue 15): access that expires, the audit log page, retention.

-- A grant may end at a time; the reminder before it is sent once per end (an extension
-- clears it). A grant the expiry job ended keeps its `ends_at` (<= `revoked_at`) and has
-- no `revoked_reason`.
ALTER TABLE partner_grants ADD COLUMN ends_at TEXT;
ALTER TABLE partner_grants ADD COLUMN reminded_at TEXT;
CREATE INDEX partner_grants_ends ON partner_grants (ends_at)
    WHERE ends_at IS NOT NULL AND revoked_at IS NULL;

-- How long a team's new partner grants last by default, and how long it keeps its audit log.
ALTER TABLE teams ADD COLUMN default_access TEXT NOT NULL DEFAULT 'never'
    CHECK (default_access IN ('never', 'days7', 'days30', 'days90'));
ALTER TABLE teams ADD COLUMN audit_retention_days INTEGER NOT NULL DEFAULT 400
    CHECK (audit_retention_days BETWEEN 400 AND 3650);

-- The other company's team an entry concerns (a filter of the page), from the entries'
-- details where they named it.
ALTER TABLE audit_log ADD COLUMN partner_team_id TEXT;
UPDATE audit_log SET partner_team_id = coalesce(json_extract(detail, '$.partner_team_id'),
                                                json_extract(detail, '$.publisher_team_id'));

-- Access a partner's own team ended has its own action now.
UPDATE audit_log SET action = 'partner.ended_by_team'
 WHERE action = 'partner.access_ended' AND json_extract(detail, '$.reason') = 'ended_by_partner_team';

-- Newest first within a team, by any one filter (keyset on (at, id); the rowid is in every
-- index), and by age alone for the retention job.
DROP INDEX audit_log_team;
CREATE INDEX audit_log_team ON audit_log (team_id, at);
CREATE INDEX audit_log_actor ON audit_log (team_id, actor_id, at);
CREATE INDEX audit_log_workspace ON audit_log (team_id, workspace_id, at);
CREATE INDEX audit_log_partner_team ON audit_log (team_id, partner_team_id, at);
CREATE INDEX audit_log_action ON audit_log (team_id, action, at);
CREATE INDEX audit_log_at ON audit_log (at);
