// Access requests: asked by people of other teams, decided by the publisher.

macro_rules! request_select {
    () => {
        "SELECT r.id, r.role, r.message, r.status, r.created_at,
            u.id AS user_id, u.name AS user_name, u.email, u.team_id AS user_team_id,
            t.name AS team_name, t.domain AS team_domain,
            w.id AS workspace_id, w.name AS workspace_name, w.multi_partner_mode, w.visibility
         FROM access_requests r
         JOIN workspaces w ON w.id = r.workspace_id
         JOIN users u ON u.id = r.user_id
         LEFT JOIN teams t ON t.id = u.team_id"
    };
}

async fn latest_request(
    conn: &mut Conn,
    workspace_id: &str,
    user_id: &str,
) -> Result<Option<MyRequestRow>, sqlx::Error> {
    sqlx::query_as(sql!(
        "SELECT id, role, status, created_at FROM access_requests
         WHERE workspace_id = ?1 AND user_id = ?2 ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(workspace_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

impl Store {
    /// Requests to the workspaces of `publisher` with `status`, newest first, read from the
    /// publisher's own index range, and their total. Pending requests of people who have
    /// left their team are not listed (they are dropped).
    pub async fn access_requests_page(
        &self,
        publisher: &str,
        status: &str,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<RequestRow>), sqlx::Error> {
        macro_rules! filter {
            () => {
                "r.publisher_team_id = ?1 AND r.status = ?2
                 AND (r.status <> 'pending' OR u.team_id IS NOT NULL)"
            };
        }
        let total: i64 = sqlx::query_scalar(sql!(concat!(
            "SELECT COUNT(*) FROM access_requests r JOIN users u ON u.id = r.user_id WHERE ",
            filter!()
        )))
        .bind(publisher)
        .bind(status)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<RequestRow> = sqlx::query_as(sql!(concat!(
            request_select!(),
            " WHERE ",
            filter!(),
            " ORDER BY r.created_at DESC, r.id LIMIT ?3 OFFSET ?4"
        )))
        .bind(publisher)
        .bind(status)
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// Moves up to `batch` requests decided before `before` into the archive, in one
    /// transaction; returns how many moved.
    pub async fn archive_decided_requests(&self, before: &str, batch: u32) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin().await?;
        macro_rules! due {
            () => {
                "SELECT id FROM access_requests
                 WHERE status <> 'pending' AND decided_at < ?1 ORDER BY decided_at LIMIT ?2"
            };
        }
        sqlx::query(sql!(concat!(
            "INSERT INTO access_requests_archive
                 (id, workspace_id, user_id, publisher_team_id, role, message, status, created_at,
                  decided_at, decided_by, notified_at, archived_at)
             SELECT id, workspace_id, user_id, publisher_team_id, role, message, status, created_at,
                    decided_at, decided_by, notified_at, ?3
             FROM access_requests WHERE id IN (",
            due!(),
            ") ON CONFLICT (id) DO NOTHING"
        )))
        .bind(before)
        .bind(i64::from(batch))
        .bind(now())
        .execute(tx.conn())
        .await?;
        let moved = sqlx::query(sql!(concat!("DELETE FROM access_requests WHERE id IN (", due!(), ")")))
            .bind(before)
            .bind(i64::from(batch))
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(moved)
    }

    /// A person's latest request for a workspace.
    pub async fn latest_request(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<MyRequestRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        latest_request(&mut conn, workspace_id, user_id).await
    }

    /// Publisher teams with un-notified pending requests of people still in a team, with
    /// each request's time (the digest job decides which are due).
    pub async fn undigested_requests(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT r.publisher_team_id, r.created_at FROM access_requests r
             JOIN users u ON u.id = r.user_id
             WHERE r.status = 'pending' AND r.notified_at IS NULL AND u.team_id IS NOT NULL"
        ))
        .fetch_all(&self.pool)
        .await
    }
}

impl Tx {
    /// A person's latest request for a workspace, inside the transaction.
    pub async fn latest_request(
        &mut self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<MyRequestRow>, sqlx::Error> {
        latest_request(self.conn(), workspace_id, user_id).await
    }

    /// Records a pending request, unless the person already has one pending for the
    /// workspace (the unique index says so, whichever server asks); `false` then.
    pub async fn insert_request(
        &mut self,
        workspace_id: &str,
        publisher: &str,
        user_id: &str,
        role: partner_api::PartnerRole,
        message: &str,
    ) -> Result<bool, sqlx::Error> {
        let inserted = sqlx::query(sql!(
            "INSERT INTO access_requests (id, workspace_id, publisher_team_id, user_id, role, message,
                                          status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)
             ON CONFLICT (workspace_id, user_id) WHERE status = 'pending' DO NOTHING"
        ))
        .bind(new_id())
        .bind(workspace_id)
        .bind(publisher)
        .bind(user_id)
        .bind(role.as_str())
        .bind(message)
        .bind(now())
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }

    /// The publisher of a request, if it exists.
    pub async fn request_publisher(&mut self, request_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT publisher_team_id FROM access_requests WHERE id = ?1"))
            .bind(request_id)
            .fetch_optional(self.conn())
            .await
    }

    /// One request with its requester and workspace; with `publisher`, only if it is to
    /// one of that team's workspaces.
    pub async fn request(
        &mut self,
        request_id: &str,
        publisher: Option<&str>,
    ) -> Result<Option<RequestRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            request_select!(),
            " WHERE r.id = ?1 AND (?2 IS NULL OR w.team_id = ?2)"
        )))
        .bind(request_id)
        .bind(publisher)
        .fetch_optional(self.conn())
        .await
    }

    /// Records a decision on a request (`dropped` too), by whom and when.
    pub async fn decide_request(
        &mut self,
        request_id: &str,
        status: &str,
        by: &str,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE access_requests SET status = ?1, decided_at = ?2, decided_by = ?3 WHERE id = ?4"
        ))
        .bind(status)
        .bind(at)
        .bind(by)
        .bind(request_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// A publisher's un-notified pending requests (of people still in a team), oldest
    /// first, with what a digest lists.
    pub async fn undigested_requests_of(&mut self, publisher: &str) -> Result<Vec<DigestRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT r.id, r.role, r.message, r.created_at, p.name AS publisher_name,
                    w.name AS workspace_name, u.name AS user_name, u.email, t.name AS team_name
             FROM access_requests r
             JOIN workspaces w ON w.id = r.workspace_id
             JOIN teams p ON p.id = r.publisher_team_id
             JOIN users u ON u.id = r.user_id
             JOIN teams t ON t.id = u.team_id
             WHERE r.publisher_team_id = ?1 AND r.status = 'pending' AND r.notified_at IS NULL
             ORDER BY r.created_at, r.id"
        ))
        .bind(publisher)
        .fetch_all(self.conn())
        .await
    }

    /// Marks a request notified; `false` when it already was.
    pub async fn mark_request_notified(&mut self, request_id: &str, at: &str) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(sql!(
            "UPDATE access_requests SET notified_at = ?1 WHERE id = ?2 AND notified_at IS NULL"
        ))
        .bind(at)
        .bind(request_id)
        .execute(self.conn())
        .await?
        .rows_affected()
            == 1)
    }

    /// A team's Team Admins and Partner Managers, by name.
    pub async fn team_managers(&mut self, team_id: &str) -> Result<Vec<NoticeRecipient>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "SELECT id, name, email, team_role, is_partner_manager FROM users
                 WHERE team_id = ?1 AND (team_role = 'admin' OR is_partner_manager)
                 ORDER BY {}, id",
                D.nocase("name")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(team_id)
            .fetch_all(self.conn())
            .await
    }
}
