-- Governance (issue 15); as the SQLite 0012.

ALTER TABLE partner_grants ADD COLUMN ends_at TEXT;
ALTER TABLE partner_grants ADD COLUMN reminded_at TEXT;
CREATE INDEX partner_grants_ends ON partner_grants (ends_at)
    WHERE ends_at IS NOT NULL AND revoked_at IS NULL;

ALTER TABLE teams ADD COLUMN default_access TEXT NOT NULL DEFAULT 'never'
    CHECK (default_access IN ('never', 'days7', 'days30', 'days90'));
ALTER TABLE teams ADD COLUMN audit_retention_days BIGINT NOT NULL DEFAULT 400
    CHECK (audit_retention_days BETWEEN 400 AND 3650);

ALTER TABLE audit_log ADD COLUMN partner_team_id TEXT;
UPDATE audit_log SET partner_team_id = coalesce(detail::jsonb ->> 'partner_team_id',
                                                detail::jsonb ->> 'publisher_team_id');

UPDATE audit_log SET action = 'partner.ended_by_team'
 WHERE action = 'partner.access_ended' AND detail::jsonb ->> 'reason' = 'ended_by_partner_team';

DROP INDEX audit_log_team;
CREATE INDEX audit_log_team ON audit_log (team_id, at, id);
CREATE INDEX audit_log_actor ON audit_log (team_id, actor_id, at, id);
CREATE INDEX audit_log_workspace ON audit_log (team_id, workspace_id, at, id);
CREATE INDEX audit_log_partner_team ON audit_log (team_id, partner_team_id, at, id);
CREATE INDEX audit_log_action ON audit_log (team_id, action, at, id);
CREATE INDEX audit_log_at ON audit_log (at);
