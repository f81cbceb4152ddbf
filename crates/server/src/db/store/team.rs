// A team's own settings, its people and its invitations (Team Settings > General, Members).

/// A team's people (?1), searched (?2, a LIKE pattern or NULL).
macro_rules! team_member_filter {
    () => {
        "u.team_id = ?1 AND (?2 IS NULL OR {} OR {})"
    };
}

/// An invitation with its team and inviter.
macro_rules! invitation_select {
    () => {
        "SELECT i.id, i.team_id, t.name AS team_name, i.email, i.team_role, i.invited_by,
                b.name AS invited_by_name, b.email AS invited_by_email,
                i.created_at, i.sent_at, i.expires_at
         FROM team_invitations i JOIN teams t ON t.id = i.team_id
              LEFT JOIN users b ON b.id = i.invited_by"
    };
}

impl Store {
    /// A team as Team Settings shows it, with its member and pending invitation counts.
    pub async fn team_settings(&self, team_id: &str) -> Result<Option<TeamRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT t.id, t.name, t.domain, t.plan, t.sso_enforced, t.editor_seats_included,
                    t.default_access, t.audit_retention_days,
                    (SELECT COUNT(*) FROM users u WHERE u.team_id = t.id) AS member_count,
                    (SELECT COUNT(*) FROM team_invitations i
                     WHERE i.team_id = t.id AND i.state = 'pending' AND i.expires_at > ?2) AS pending_invitations
             FROM teams t WHERE t.id = ?1"
        ))
        .bind(team_id)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// One page of a team's people by name, and their total.
    pub async fn team_members(
        &self,
        team_id: &str,
        pattern: Option<&str>,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<TeamMemberRow>), sqlx::Error> {
        let filter = format!(
            team_member_filter!(),
            D.like("u.name", "?2"),
            D.like("u.email", "?2")
        );
        let rows = sqlx::query_as(&D.sql(&format!(
            "SELECT u.id, u.name, u.email, u.team_role, u.is_partner_manager, u.last_sign_in_at
             FROM users u WHERE {filter}
             ORDER BY {}, u.id LIMIT ?3 OFFSET ?4",
            D.nocase("u.name")
        )))
        .bind(team_id)
        .bind(pattern)
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 =
            sqlx::query_scalar(&D.sql(&format!("SELECT COUNT(*) FROM users u WHERE {filter}")))
                .bind(team_id)
                .bind(pattern)
                .fetch_one(&self.pool)
                .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// One page of a team's pending invitations, newest first, and their total.
    pub async fn team_invitations(
        &self,
        team_id: &str,
        pattern: Option<&str>,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<InvitationRow>), sqlx::Error> {
        let filter = format!(
            "i.team_id = ?1 AND i.state = 'pending' AND i.expires_at > ?2 AND (?3 IS NULL OR {})",
            D.like("i.email", "?3")
        );
        let at = now();
        let rows = sqlx::query_as(&D.sql(&format!(
            "{} WHERE {filter} ORDER BY i.created_at DESC, i.id LIMIT ?4 OFFSET ?5",
            invitation_select!()
        )))
        .bind(team_id)
        .bind(&at)
        .bind(pattern)
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&D.sql(&format!(
            "SELECT COUNT(*) FROM team_invitations i WHERE {filter}"
        )))
        .bind(team_id)
        .bind(&at)
        .bind(pattern)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// The pending, unexpired invitation a link's token (hashed) belongs to.
    pub async fn invitation_by_token(&self, token_hash: &[u8]) -> Result<Option<InvitationRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            invitation_select!(),
            " WHERE i.token_hash = ?1 AND i.state = 'pending' AND i.expires_at > ?2"
        )))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// Whether an account with this email exists.
    pub async fn account_exists(&self, email: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(built!(format!(
            "SELECT EXISTS (SELECT 1 FROM users WHERE {})",
            D.eq_nocase("email", "?1")
        )))
        .bind(email)
        .fetch_one(&self.pool)
        .await
    }

    /// What removing someone from their team would end: their active partner grants (with
    /// publisher and workspace names, capped), their workspace roles (capped), each with its
    /// total, and their live sessions.
    pub async fn removal_impact(
        &self,
        user_id: &str,
        limit: usize,
    ) -> Result<RemovalImpactRows, sqlx::Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let grants = sqlx::query_as(sql!(concat!(
            "SELECT p.id AS publisher_id, p.name AS publisher_name, w.id AS workspace_id,
                    w.name AS workspace_name, g.role
             FROM partner_grants g JOIN workspaces w ON w.id = g.workspace_id
                  JOIN teams p ON p.id = g.publisher_team_id
             WHERE g.user_id = ?1 AND ",
            active_grant!("g"),
            " ORDER BY p.name, w.name, w.id LIMIT ?2"
        )))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let grants_total: i64 = sqlx::query_scalar(sql!(concat!(
            "SELECT COUNT(*) FROM partner_grants g WHERE g.user_id = ?1 AND ",
            active_grant!("g")
        )))
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        let roles = sqlx::query_as(sql!(
            "SELECT w.id AS workspace_id, w.name AS workspace_name, m.role
             FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
             WHERE m.user_id = ?1 ORDER BY w.name, w.id LIMIT ?2"
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let roles_total: i64 =
            sqlx::query_scalar(sql!("SELECT COUNT(*) FROM workspace_members WHERE user_id = ?1"))
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        let sessions: i64 = sqlx::query_scalar(sql!(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ?1 AND expires_at > ?2 AND view_parent IS NULL"
        ))
        .bind(user_id)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(RemovalImpactRows {
            grants,
            grants_total: u64::try_from(grants_total).unwrap_or(0),
            roles,
            roles_total: u64::try_from(roles_total).unwrap_or(0),
            sessions: u64::try_from(sessions).unwrap_or(0),
        })
    }
}

impl Tx {
    /// Renames a team (the partnership summaries follow by trigger).
    pub async fn set_team_name(&mut self, team_id: &str, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE teams SET name = ?1 WHERE id = ?2"))
            .bind(name)
            .bind(team_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets a team's "require SSO" (publishers see it as "SSO enforced").
    pub async fn set_team_sso(&mut self, team_id: &str, on: bool) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE teams SET sso_enforced = ?1 WHERE id = ?2"))
            .bind(on)
            .bind(team_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// A team's name, domain and SSO flag, read inside the transaction.
    pub async fn team_ref(&mut self, team_id: &str) -> Result<Option<(String, String, bool)>, sqlx::Error> {
        sqlx::query_as(sql!("SELECT name, domain, sso_enforced FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_optional(self.conn())
            .await
    }

    /// A team's default access period and audit log retention, read inside the transaction.
    pub async fn team_governance(&mut self, team_id: &str) -> Result<(String, i64), sqlx::Error> {
        sqlx::query_as(sql!("SELECT default_access, audit_retention_days FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_one(self.conn())
            .await
    }

    /// Sets a team's default access period and audit log retention.
    pub async fn set_team_governance(&mut self, team_id: &str, default_access: &str, retention_days: i64) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE teams SET default_access = ?1, audit_retention_days = ?2 WHERE id = ?3"))
            .bind(default_access)
            .bind(retention_days)
            .bind(team_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// A team's name and SSO flag, read inside the transaction.
    pub async fn team_flags(&mut self, team_id: &str) -> Result<(String, bool), sqlx::Error> {
        sqlx::query_as(sql!("SELECT name, sso_enforced FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_one(self.conn())
            .await
    }

    /// One person of a team.
    pub async fn team_member(&mut self, team_id: &str, user_id: &str) -> Result<Option<TeamMemberRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email, u.team_role, u.is_partner_manager, u.last_sign_in_at
             FROM users u WHERE u.team_id = ?1 AND u.id = ?2"
        ))
        .bind(team_id)
        .bind(user_id)
        .fetch_optional(self.conn())
        .await
    }

    /// How many Team Admins a team has.
    pub async fn team_admin_count(&mut self, team_id: &str) -> Result<u64, sqlx::Error> {
        let count: i64 = sqlx::query_scalar(sql!(
            "SELECT COUNT(*) FROM users WHERE team_id = ?1 AND team_role = 'admin'"
        ))
        .bind(team_id)
        .fetch_one(self.conn())
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Sets a person's team role and Partner Manager flag.
    pub async fn set_member_roles(
        &mut self,
        user_id: &str,
        team_role: partner_api::TeamRole,
        is_partner_manager: bool,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE users SET team_role = ?1, is_partner_manager = ?2 WHERE id = ?3 AND team_id IS NOT NULL"
        ))
        .bind(team_role.as_str())
        .bind(is_partner_manager)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends every session of a person; returns how many were live.
    pub async fn end_sessions_of(&mut self, user_id: &str) -> Result<u64, sqlx::Error> {
        let live: i64 = sqlx::query_scalar(sql!(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ?1 AND expires_at > ?2 AND view_parent IS NULL"
        ))
        .bind(user_id)
        .bind(now())
        .fetch_one(self.conn())
        .await?;
        sqlx::query(sql!("DELETE FROM sessions WHERE user_id = ?1"))
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(u64::try_from(live).unwrap_or(0))
    }

    /// A team's pending, unexpired invitation for an address, if any.
    pub async fn pending_invitation_for(&mut self, team_id: &str, email: &str) -> Result<Option<InvitationRow>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "{} WHERE i.team_id = ?1 AND {} AND i.state = 'pending'",
            invitation_select!(),
            D.eq_nocase("i.email", "?2")
        )))
        .bind(team_id)
        .bind(email)
        .fetch_optional(self.conn())
        .await
    }

    /// One pending invitation of a team.
    pub async fn team_invitation(&mut self, team_id: &str, id: &str) -> Result<Option<InvitationRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            invitation_select!(),
            " WHERE i.team_id = ?1 AND i.id = ?2 AND i.state = 'pending'"
        )))
        .bind(team_id)
        .bind(id)
        .fetch_optional(self.conn())
        .await
    }

    /// The pending invitation a token (hashed) belongs to, expired or not.
    pub async fn invitation_by_token(&mut self, token_hash: &[u8]) -> Result<Option<InvitationRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            invitation_select!(),
            " WHERE i.token_hash = ?1 AND i.state = 'pending'"
        )))
        .bind(token_hash)
        .fetch_optional(self.conn())
        .await
    }

    /// Records a new invitation. An expired pending one for the same address is closed
    /// first (revoked), so the one-pending rule holds.
    pub async fn insert_invitation(&mut self, invitation: NewInvitation<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(built!(format!(
            "UPDATE team_invitations SET state = 'revoked', decided_at = ?3
             WHERE team_id = ?1 AND {} AND state = 'pending'",
            D.eq_nocase("email", "?2")
        )))
        .bind(invitation.team_id)
        .bind(invitation.email)
        .bind(invitation.at)
        .execute(self.conn())
        .await?;
        sqlx::query(sql!(
            "INSERT INTO team_invitations (id, team_id, email, team_role, token_hash, invited_by,
                                           created_at, sent_at, expires_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, 'pending')"
        ))
        .bind(invitation.id)
        .bind(invitation.team_id)
        .bind(invitation.email)
        .bind(invitation.team_role.as_str())
        .bind(invitation.token_hash)
        .bind(invitation.invited_by)
        .bind(invitation.at)
        .bind(invitation.expires_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Gives an invitation a new link (the old one stops working) and a new expiry.
    pub async fn renew_invitation(&mut self, id: &str, token_hash: &[u8], at: &str, expires_at: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE team_invitations SET token_hash = ?1, sent_at = ?2, expires_at = ?3
             WHERE id = ?4 AND state = 'pending'"
        ))
        .bind(token_hash)
        .bind(at)
        .bind(expires_at)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Closes a pending invitation: `accepted` or `revoked`. False when it wasn't pending.
    pub async fn close_invitation(&mut self, id: &str, state: &str, at: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE team_invitations SET state = ?1, decided_at = ?2 WHERE id = ?3 AND state = 'pending'"
        ))
        .bind(state)
        .bind(at)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Creates an account (in no team yet).
    pub async fn create_user(&mut self, email: &str, name: &str, password_hash: &str) -> Result<String, sqlx::Error> {
        let id = new_id();
        sqlx::query(sql!(
            "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
        ))
        .bind(&id)
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(now())
        .execute(self.conn())
        .await?;
        Ok(id)
    }

    /// Puts a person in no team into a team. False when they are in a team already.
    pub async fn join_team(&mut self, user_id: &str, team_id: &str, team_role: partner_api::TeamRole) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE users SET team_id = ?1, team_role = ?2, is_partner_manager = FALSE
             WHERE id = ?3 AND team_id IS NULL"
        ))
        .bind(team_id)
        .bind(team_role.as_str())
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
