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

    /// Starts a session made with `method` (`password` or `sso`) and records the sign-in:
    /// the person's last sign-in is this one, through SSO or not.
    pub async fn start_session(
        &self,
        user_id: &str,
        token_hash: &[u8],
        method: &str,
    ) -> Result<(), sqlx::Error> {
        let started = time::OffsetDateTime::now_utc();
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql!(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, method)
             VALUES (?1, ?2, ?3, ?4, ?5)"
        ))
        .bind(token_hash)
        .bind(user_id)
        .bind(timestamp(started))
        .bind(timestamp(started + time::Duration::days(crate::db::SESSION_DAYS)))
        .bind(method)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sql!(
            "UPDATE users SET last_sign_in_at = ?1, last_sign_in_sso = ?2 WHERE id = ?3"
        ))
        .bind(timestamp(started))
        .bind(method == "sso")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The person behind a session token, read fresh on every request. A "view as partner"
    /// session is not one by itself: see [`Store::view_caller`].
    pub async fn caller(&self, token_hash: &[u8]) -> Result<Option<CallerRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email, u.team_id, u.team_role, u.is_partner_manager,
                    s.method, s.created_at AS signed_in_at,
                    NULL AS viewer_id, NULL AS view_publisher_id, NULL AS view_workspace_id
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.view_parent IS NULL"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// The partner a "view as partner" session reads as, while the session it was made
    /// from (`parent`, the viewer's) lasts and the viewer is still in the publisher's team.
    pub async fn view_caller(
        &self,
        token_hash: &[u8],
        parent: &[u8],
    ) -> Result<Option<CallerRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email, u.team_id, u.team_role, u.is_partner_manager,
                    s.method, s.created_at AS signed_in_at,
                    s.viewer_id, s.view_publisher_id, s.view_workspace_id
             FROM sessions s JOIN users u ON u.id = s.user_id
                  JOIN sessions p ON p.token_hash = s.view_parent
                  JOIN users v ON v.id = p.user_id
             WHERE s.token_hash = ?1 AND s.view_parent = ?2 AND s.expires_at > ?3
               AND p.expires_at > ?3 AND v.id = s.viewer_id AND v.team_id = s.view_publisher_id"
        ))
        .bind(token_hash)
        .bind(parent)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// Starts a "view as partner" session from the viewer's session `parent`: it reads as
    /// `partner` (as an SSO session: what they see once signed in as required), within the
    /// publisher's workspaces (one with `workspace`), until `expires_at`.
    pub async fn start_view(
        &self,
        token_hash: &[u8],
        parent: &[u8],
        view: &NewView<'_>,
    ) -> Result<(), sqlx::Error> {
        // One view per viewer's session: a new one replaces the last.
        let mut tx = self.pool.begin().await?;
        sqlx::query(sql!("DELETE FROM sessions WHERE view_parent = ?1"))
            .bind(parent)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sql!(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, method,
                                   view_parent, viewer_id, view_publisher_id, view_workspace_id)
             VALUES (?1, ?2, ?3, ?4, 'sso', ?5, ?6, ?7, ?8)"
        ))
        .bind(token_hash)
        .bind(view.partner)
        .bind(now())
        .bind(view.expires_at)
        .bind(parent)
        .bind(view.viewer)
        .bind(view.publisher)
        .bind(view.workspace)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The view made from the session `parent` with this token, named, while it lasts.
    pub async fn view(&self, token_hash: &[u8], parent: &[u8]) -> Result<Option<ViewRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT v.id AS viewer_id, v.name AS viewer_name, v.email AS viewer_email,
                    u.id AS partner_id, u.name AS partner_name, u.email AS partner_email,
                    pt.id AS team_id, pt.name AS team_name, pt.domain AS team_domain,
                    pub.id AS publisher_id, pub.name AS publisher_name,
                    w.id AS workspace_id, w.name AS workspace_name, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN users v ON v.id = s.viewer_id
                  JOIN teams pt ON pt.id = u.team_id JOIN teams pub ON pub.id = s.view_publisher_id
                  LEFT JOIN workspaces w ON w.id = s.view_workspace_id
             WHERE s.token_hash = ?1 AND s.view_parent = ?2 AND s.expires_at > ?3"
        ))
        .bind(token_hash)
        .bind(parent)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// The session `token_hash`'s method and start, if it is a live session of its own.
    pub async fn session_facts(&self, token_hash: &[u8]) -> Result<Option<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT method, created_at FROM sessions
             WHERE token_hash = ?1 AND expires_at > ?2 AND view_parent IS NULL"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await
    }

    /// Whether `user` holds an active grant in a workspace of `publisher` (`workspace`: in
    /// that one).
    pub async fn holds_grant_of(
        &self,
        publisher: &str,
        user: &str,
        workspace: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(sql!(concat!(
            "SELECT EXISTS (SELECT 1 FROM partner_grants g
                            WHERE g.user_id = ?2 AND g.publisher_team_id = ?1
                              AND (?3 IS NULL OR g.workspace_id = ?3) AND ",
            active_grant!("g"),
            ")"
        )))
        .bind(publisher)
        .bind(user)
        .bind(workspace)
        .fetch_one(&self.pool)
        .await
    }

    /// Ends the views made from the session `parent`.
    pub async fn end_views(&self, parent: &[u8]) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("DELETE FROM sessions WHERE view_parent = ?1"))
            .bind(parent)
            .execute(&self.pool)
            .await?;
        Ok(())
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
