// Who is a partner in a workspace, and the Partner Editor seats they take.

async fn load_seats(
    conn: &mut Conn,
    publisher: &str,
) -> Result<partner_api::partnerships::Seats, sqlx::Error> {
    // Active Editor grants are counted by the summaries' triggers.
    let (plan, included, used): (String, i64, i64) = sqlx::query_as(sql!(
        "SELECT t.plan, t.editor_seats_included,
                COALESCE((SELECT editor_grants FROM partnership_totals WHERE publisher_team_id = t.id), 0)
         FROM teams t WHERE t.id = ?1"
    ))
    .bind(publisher)
    .fetch_one(conn)
    .await?;
    Ok(partner_api::partnerships::Seats {
        plan: plan.parse().unwrap_or(partner_api::Plan::Free),
        editor_seats_included: u32::try_from(included).unwrap_or(0),
        editor_seats_used: u32::try_from(used).unwrap_or(u32::MAX),
    })
}

impl Store {
    /// Partner Editor seats of a team: included by its plan, and used.
    pub async fn seats(&self, team: &str) -> Result<partner_api::partnerships::Seats, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        load_seats(&mut conn, team).await
    }
}

impl Tx {
    /// Seats of a publisher, read inside the transaction (after [`Tx::lock_publisher`]).
    pub async fn seats(&mut self, publisher: &str) -> Result<partner_api::partnerships::Seats, sqlx::Error> {
        load_seats(self.conn(), publisher).await
    }

    /// The person with this email (ignoring case), with their team.
    pub async fn person_by_email(&mut self, email: &str) -> Result<Option<PersonRow>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "SELECT id, name, email, team_id FROM users WHERE {}",
                D.eq_nocase("email", "?1")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(email)
            .fetch_optional(self.conn())
            .await
    }

    /// Gives a partner a grant; the row of an ended grant (kept for the audit trail) is
    /// revived.
    pub async fn grant(&mut self, grant: Grant<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at,
                                         invited_by, ends_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (workspace_id, user_id) DO UPDATE SET
                 partner_team_id = excluded.partner_team_id, role = excluded.role,
                 created_at = excluded.created_at, revoked_at = NULL, revoked_reason = NULL,
                 invited_by = excluded.invited_by, is_lead = FALSE, last_opened_at = NULL,
                 ends_at = excluded.ends_at, reminded_at = NULL"
        ))
        .bind(grant.workspace_id)
        .bind(grant.user_id)
        .bind(grant.partner_team_id)
        .bind(grant.publisher_team_id)
        .bind(grant.role.as_str())
        .bind(grant.at)
        .bind(grant.invited_by)
        .bind(grant.ends_at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Makes a partner Partner Lead of a workspace, or not.
    pub async fn set_grant_lead(&mut self, workspace_id: &str, user_id: &str, lead: bool) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE partner_grants SET is_lead = ?1 WHERE workspace_id = ?2 AND user_id = ?3"
        ))
        .bind(lead)
        .bind(workspace_id)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Whether a person has an active grant to a workspace.
    pub async fn has_grant(&mut self, workspace_id: &str, user_id: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(sql!(concat!(
            "SELECT EXISTS (SELECT 1 FROM partner_grants g WHERE g.workspace_id = ?1 AND g.user_id = ?2 AND ",
            active_grant!("g"),
            ")"
        )))
        .bind(workspace_id)
        .bind(user_id)
        .fetch_one(self.conn())
        .await
    }

    /// Ends one partner's grant because the publisher removed it (kept for the audit
    /// trail; a later invitation revives the row).
    pub async fn revoke_grant(&mut self, workspace_id: &str, user_id: &str, at: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE partner_grants SET revoked_at = ?1, revoked_reason = 'removed', is_lead = FALSE
             WHERE workspace_id = ?2 AND user_id = ?3"
        ))
        .bind(at)
        .bind(workspace_id)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Changes the role of a partner's grant.
    pub async fn set_grant_role(
        &mut self,
        workspace_id: &str,
        user_id: &str,
        role: partner_api::PartnerRole,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE partner_grants SET role = ?1 WHERE workspace_id = ?2 AND user_id = ?3"
        ))
        .bind(role.as_str())
        .bind(workspace_id)
        .bind(user_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// A workspace's active Partner Editors, by team then name.
    pub async fn workspace_editors(&mut self, workspace_id: &str) -> Result<Vec<PartnerRow>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "{} AND g.role = 'editor' ORDER BY {}, {}",
                partner_select!(),
                D.nocase("t.name"),
                D.nocase("u.name")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(workspace_id)
            .fetch_all(self.conn())
            .await
    }

    /// Makes every active Partner Editor of a workspace a Viewer.
    pub async fn demote_editors(&mut self, workspace_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE partner_grants SET role = 'viewer'\n             WHERE workspace_id = ?1 AND role = 'editor' AND revoked_at IS NULL\n               AND partner_team_id = (SELECT team_id FROM users WHERE users.id = partner_grants.user_id)"))
        .bind(workspace_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Turns a workspace's multi-partner mode on or off.
    pub async fn set_multi_partner_mode(&mut self, workspace_id: &str, on: bool) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE workspaces SET multi_partner_mode = ?1 WHERE id = ?2"))
            .bind(on)
            .bind(workspace_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Ends every active partner grant of a workspace; returns how many.
    pub async fn revoke_all_partners(&mut self, workspace_id: &str, at: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql!(
            "UPDATE partner_grants SET revoked_at = ?1, revoked_reason = 'removed', is_lead = FALSE
             WHERE workspace_id = ?2 AND revoked_at IS NULL
               AND partner_team_id = (SELECT team_id FROM users WHERE users.id = partner_grants.user_id)"
        ))
        .bind(at)
        .bind(workspace_id)
        .execute(self.conn())
        .await?
        .rows_affected())
    }

    /// Denies every pending access request to a workspace.
    pub async fn deny_pending_requests(
        &mut self,
        workspace_id: &str,
        by: &str,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE access_requests SET status = 'denied', decided_at = ?1, decided_by = ?2
             WHERE workspace_id = ?3 AND status = 'pending'"
        ))
        .bind(at)
        .bind(by)
        .bind(workspace_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Makes a workspace internal or partner (multi-partner mode off either way).
    pub async fn set_visibility(&mut self, workspace_id: &str, visibility: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE workspaces SET visibility = ?1, multi_partner_mode = FALSE WHERE id = ?2"
        ))
        .bind(visibility)
        .bind(workspace_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Renames a workspace.
    pub async fn set_workspace_name(&mut self, workspace_id: &str, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE workspaces SET name = ?1 WHERE id = ?2"))
            .bind(name)
            .bind(workspace_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Changes a workspace's summary.
    pub async fn set_workspace_summary(&mut self, workspace_id: &str, summary: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!("UPDATE workspaces SET summary = ?1 WHERE id = ?2"))
            .bind(summary)
            .bind(workspace_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// A team's name.
    pub async fn team_name(&mut self, team_id: &str) -> Result<String, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT name FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_one(self.conn())
            .await
    }
}
