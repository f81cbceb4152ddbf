// People, sessions and team membership.

impl Store {
    /// The password hash of the account with this email (ignoring case), if any.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "SELECT id, password_hash FROM users WHERE {}",
                D.eq_nocase("email", "?1")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(email.trim())
            .fetch_optional(&self.pool)
            .await
    }

    /// Starts a session and records the sign-in (SSO when the person's team enforces it:
    /// such teams can only sign in through their identity provider).
    pub async fn start_session(&self, user_id: &str, token_hash: &[u8]) -> Result<(), sqlx::Error> {
        let started = time::OffsetDateTime::now_utc();
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql!(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4)"
        ))
        .bind(token_hash)
        .bind(user_id)
        .bind(timestamp(started))
        .bind(timestamp(started + time::Duration::days(crate::db::SESSION_DAYS)))
        .execute(&mut *tx)
        .await?;
        sqlx::query(sql!(
            "UPDATE users SET last_sign_in_at = ?1,
                 last_sign_in_sso = COALESCE((SELECT sso_enforced FROM teams WHERE teams.id = users.team_id), FALSE)
             WHERE id = ?2"
        ))
        .bind(timestamp(started))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The person behind a session token, read fresh on every request.
    pub async fn caller(&self, token_hash: &[u8]) -> Result<Option<CallerRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email, u.team_id, u.team_role, u.is_partner_manager
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// Deletes up to `batch` sessions that have expired; returns how many.
    pub async fn delete_expired_sessions(&self, batch: u32) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql!(
            "DELETE FROM sessions WHERE token_hash IN (
                 SELECT token_hash FROM sessions WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)"
        ))
        .bind(now())
        .bind(i64::from(batch))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Ends one session.
    pub async fn end_session(&self, token_hash: &[u8]) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("DELETE FROM sessions WHERE token_hash = ?1"))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The password hash of one person.
    pub async fn password_hash(&self, user_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT password_hash FROM users WHERE id = ?1"))
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Replaces a person's password hash, if it is still `old_hash` (the one their current
    /// password was checked against), and ends every session of theirs but `keep_session`,
    /// in one transaction. False, changing nothing, when the hash changed meanwhile.
    pub async fn change_password(
        &self,
        user_id: &str,
        old_hash: &str,
        new_hash: &str,
        keep_session: &[u8],
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let changed = sqlx::query(sql!(
            "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3"
        ))
        .bind(new_hash)
        .bind(user_id)
        .bind(old_hash)
        .execute(tx.conn())
        .await?
        .rows_affected()
            == 1;
        if !changed {
            return Ok(false);
        }
        sqlx::query(sql!(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2"
        ))
        .bind(user_id)
        .bind(keep_session)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A team's id, name and plan.
    pub async fn team(&self, team_id: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
        sqlx::query_as(sql!("SELECT id, name, plan FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await
    }
}

impl Tx {
    /// A person's team, team role and Partner Manager flag.
    pub async fn membership(&mut self, user_id: &str) -> Result<Option<MembershipRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT team_id, team_role, is_partner_manager FROM users WHERE id = ?1"
        ))
        .bind(user_id)
        .fetch_optional(self.conn())
        .await
    }

    /// A person's grants that are not revoked.
    pub async fn grants_held(&mut self, user_id: &str) -> Result<Vec<HeldGrant>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT workspace_id, publisher_team_id, role FROM partner_grants
             WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY workspace_id"
        ))
        .bind(user_id)
        .fetch_all(self.conn())
        .await
    }

    /// Ends every grant of a person because they left the team it belonged to.
    pub async fn end_grants_of_leaver(&mut self, user_id: &str, at: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE partner_grants SET revoked_at = ?1, revoked_reason = 'left_team'
             WHERE user_id = ?2 AND revoked_at IS NULL"
        ))
        .bind(at)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// A person's workspace roles, as (workspace, role).
    pub async fn workspace_roles(&mut self, user_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT workspace_id, role FROM workspace_members WHERE user_id = ?1 ORDER BY workspace_id"
        ))
        .bind(user_id)
        .fetch_all(self.conn())
        .await
    }

    /// Ends every workspace role of a person.
    pub async fn end_workspace_roles(&mut self, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("DELETE FROM workspace_members WHERE user_id = ?1"))
            .bind(user_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Drops a person's pending access requests.
    pub async fn drop_pending_requests_of(&mut self, user_id: &str, at: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE access_requests SET status = 'dropped', decided_at = ?1
             WHERE user_id = ?2 AND status = 'pending'"
        ))
        .bind(at)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Takes a person out of their team (their role and Partner Manager flag with it).
    pub async fn leave_team(&mut self, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE users SET team_id = NULL, team_role = NULL, is_partner_manager = FALSE WHERE id = ?1"
        ))
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
