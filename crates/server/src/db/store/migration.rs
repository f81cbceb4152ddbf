// The migration of legacy partner workspaces: its runs, and what they migrate.
//
// Crash safety: a run is a row (`migration_runs`). Each workspace is migrated in its own
// transaction that also names the run on the workspace and counts it on the run, so no
// workspace is ever half migrated. When none is left, one transaction writes every email of
// the run and marks it done (`service::migration`). A run left `running` by a crash is
// finished later. With several servers, each step and the finish lock the run's row first,
// so two servers carrying on one run take turns and never migrate a workspace twice.

/// Partner workspaces still on the legacy model (`w` is the workspace), written as the
/// partial index `workspaces_not_migrated` has it, so that the index serves it.
fn not_yet_migrated() -> String {
    format!(
        "{} AND w.visibility = 'partner'
         AND (w.migration_state IS NULL OR w.migration_state <> 'migrated')",
        D.flag("w.legacy")
    )
}

/// A migration run as the API shows it (`r` is the run); the workspaces left count only
/// while it is unfinished.
fn run_view() -> String {
    format!(
        "SELECT r.id, r.kind, r.state, r.started_at, r.finished_at, r.failed_attempts,
            r.last_error, r.next_attempt_at, r.people_emailed, r.workspaces_migrated AS migrated,
            CASE WHEN r.state = 'running' THEN
                (SELECT COUNT(*) FROM workspaces w WHERE w.team_id = r.team_id AND {})
            ELSE 0 END AS left_to_migrate
         FROM migration_runs r",
        not_yet_migrated()
    )
}

/// The people a team's migration tells, for the workspaces in `ids` (a JSON array).
async fn load_audience(
    conn: &mut Conn,
    team_id: &str,
    ids: &str,
) -> Result<MigrationAudience, sqlx::Error> {
    let publisher: String = sqlx::query_scalar(sql!("SELECT name FROM teams WHERE id = ?1"))
        .bind(team_id)
        .fetch_one(&mut *conn)
        .await?;
    let managers: Vec<NoticeRecipient> = sqlx::query_as(sql!(
        "SELECT id, name, email, team_role, is_partner_manager FROM users
         WHERE team_id = ?1 AND (team_role = 'admin' OR is_partner_manager)"
    ))
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    static ADMINS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        D.sql(&format!(
            "SELECT m.workspace_id, u.id, u.name, u.email
             FROM workspace_members m JOIN users u ON u.id = m.user_id
             WHERE m.role = 'admin' AND u.team_id = ?1 AND m.workspace_id IN ({})",
            D.json_strings("?2")
        ))
    });
    let workspace_admins: Vec<WorkspacePersonRow> = sqlx::query_as(ADMINS.as_str())
        .bind(team_id)
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
    static PARTNERS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        D.sql(&format!(
            "SELECT g.workspace_id, u.id, u.name, u.email
             FROM partner_grants g JOIN users u ON u.id = g.user_id
             WHERE g.workspace_id IN ({}) AND {}",
            D.json_strings("?1"),
            active_grant!("g")
        ))
    });
    let partners: Vec<WorkspacePersonRow> = sqlx::query_as(PARTNERS.as_str())
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
    Ok(MigrationAudience {
        publisher,
        managers,
        workspace_admins,
        partners,
    })
}

async fn not_migrated_workspaces(
    conn: &mut Conn,
    team_id: &str,
) -> Result<Vec<WorkspaceRefRow>, sqlx::Error> {
    static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        D.sql(&format!(
            "SELECT w.id, w.name FROM workspaces w WHERE w.team_id = ?1 AND {}
             ORDER BY {}, w.id",
            not_yet_migrated(),
            D.nocase("w.name")
        ))
    });
    sqlx::query_as(STATEMENT.as_str())
        .bind(team_id)
        .fetch_all(conn)
        .await
}

impl Store {
    /// A team's plan.
    pub async fn team_plan(&self, team_id: &str) -> Result<String, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT plan FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_one(&self.pool)
            .await
    }

    /// How many legacy partner workspaces a team has, and how many of them migrated.
    pub async fn legacy_counts(&self, team_id: &str) -> Result<(u64, u64), sqlx::Error> {
        let (total, migrated): (i64, i64) = sqlx::query_as(built!(format!(
            "SELECT COUNT(*),
                    CAST(COALESCE(SUM(CASE WHEN w.migration_state = 'migrated' THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM workspaces w WHERE w.team_id = ?1 AND {} AND w.visibility = 'partner'",
            D.flag("w.legacy")
        )))
        .bind(team_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), u64::try_from(migrated).unwrap_or(0)))
    }

    /// One page of a team's legacy partner workspaces (migrated ones included), by name.
    /// The page is chosen first, so each row's partner count is one index search for the
    /// rows shown only.
    pub async fn legacy_page(
        &self,
        team_id: &str,
        page: partner_api::PageRequest,
    ) -> Result<Vec<LegacyRow>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "WITH page AS MATERIALIZED (
                     SELECT w.id, w.name, w.migration_state, w.migrated_at FROM workspaces w
                     WHERE w.team_id = ?1 AND {legacy} AND w.visibility = 'partner'
                     ORDER BY {name}, w.id LIMIT ?2 OFFSET ?3)
                 SELECT p.id, p.name, p.migration_state, p.migrated_at,
                        (SELECT COUNT(*) FROM partner_grants g WHERE g.workspace_id = p.id AND {active}) AS partner_count
                 FROM page p ORDER BY {page_name}, p.id",
                legacy = D.flag("w.legacy"),
                name = D.nocase("w.name"),
                page_name = D.nocase("p.name"),
                active = active_grant!("g")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(team_id)
            .bind(i64::from(page.per_page()))
            .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
    }

    /// The team's current run (unfinished) or else its latest.
    pub async fn latest_run(&self, team_id: &str) -> Result<Option<RunRow>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "{} WHERE r.team_id = ?1
             ORDER BY CASE WHEN r.state = 'running' THEN 0 ELSE 1 END, r.started_at DESC, r.id DESC
             LIMIT 1",
            run_view()
        )))
        .bind(team_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// One migration run as the API shows it.
    pub async fn migration_run(&self, run_id: &str) -> Result<Option<RunRow>, sqlx::Error> {
        sqlx::query_as(built!(format!("{} WHERE r.id = ?1", run_view())))
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// A team's legacy partner workspaces not migrated yet, by name.
    pub async fn workspaces_to_migrate(&self, team_id: &str) -> Result<Vec<WorkspaceRefRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        not_migrated_workspaces(&mut conn, team_id).await
    }

    /// Who a team's migration of the workspaces in `ids` (a JSON array) tells.
    pub async fn migration_audience(
        &self,
        team_id: &str,
        ids: &str,
    ) -> Result<MigrationAudience, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        load_audience(&mut conn, team_id, ids).await
    }

    /// The team's unfinished run, or a new one; `None` when nothing is left to migrate.
    /// One unfinished run per team: the unique index refuses a second, whichever server
    /// inserts it, and the team's lock makes the others wait and find it.
    pub async fn start_migration_run(
        &self,
        team_id: &str,
        kind: partner_api::migration::RunKind,
        requested_by: Option<&str>,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = self.begin().await?;
        tx.lock_team(team_id).await?;
        let running: Option<String> = sqlx::query_scalar(sql!(
            "SELECT id FROM migration_runs WHERE team_id = ?1 AND state = 'running'"
        ))
        .bind(team_id)
        .fetch_optional(tx.conn())
        .await?;
        if running.is_some() {
            return Ok(running);
        }
        let left: i64 = sqlx::query_scalar(built!(format!(
            "SELECT COUNT(*) FROM workspaces w WHERE w.team_id = ?1 AND {}",
            not_yet_migrated()
        )))
        .bind(team_id)
        .fetch_one(tx.conn())
        .await?;
        if left == 0 {
            return Ok(None);
        }
        let id = new_id();
        sqlx::query(sql!(
            "INSERT INTO migration_runs (id, team_id, kind, requested_by, state, started_at)
             VALUES (?1, ?2, ?3, ?4, 'running', ?5)"
        ))
        .bind(&id)
        .bind(team_id)
        .bind(kind.as_str())
        .bind(requested_by)
        .bind(now())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Starts an attempt of an unfinished run: clears its last error and retry time.
    /// Unless `now_anyway` (a Team Admin's "Retry now"), a run whose next attempt is after
    /// `at` is left waiting. `false` when there is nothing to attempt.
    pub async fn begin_migration_attempt(
        &self,
        run_id: &str,
        at: time::OffsetDateTime,
        now_anyway: bool,
    ) -> Result<bool, sqlx::Error> {
        let begun = sqlx::query(sql!(
            "UPDATE migration_runs SET last_error = NULL, next_attempt_at = NULL
             WHERE id = ?1 AND state = 'running'
               AND (?2 OR next_attempt_at IS NULL OR next_attempt_at <= ?3)"
        ))
        .bind(run_id)
        .bind(now_anyway)
        .bind(timestamp(at))
        .execute(&self.pool)
        .await?;
        Ok(begun.rows_affected() == 1)
    }

    /// Records that an attempt of a run stopped on an error: `message` (for people), one
    /// more failed attempt, and when to try again, which `retry_at` gives from the number
    /// of failed attempts. Returns that time (RFC 3339).
    pub async fn record_migration_failure(
        &self,
        run_id: &str,
        message: &str,
        retry_at: &(dyn Fn(u32) -> time::OffsetDateTime + Sync),
    ) -> Result<String, sqlx::Error> {
        let mut tx = self.begin().await?;
        tx.lock_run(run_id).await?;
        let failed: i64 = sqlx::query_scalar(sql!(
            "SELECT failed_attempts FROM migration_runs WHERE id = ?1"
        ))
        .bind(run_id)
        .fetch_one(tx.conn())
        .await?;
        let failed = u32::try_from(failed).unwrap_or(u32::MAX).saturating_add(1);
        let next = timestamp(retry_at(failed));
        sqlx::query(sql!(
            "UPDATE migration_runs SET failed_attempts = ?1, last_error = ?2, next_attempt_at = ?3
             WHERE id = ?4 AND state = 'running'"
        ))
        .bind(i64::from(failed))
        .bind(message)
        .bind(&next)
        .bind(run_id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Migrates one more workspace of a running run, in one transaction; `false` when none
    /// is left (or the run is not running).
    pub async fn migrate_next_workspace(&self, run_id: &str) -> Result<bool, StepError> {
        let mut tx = self.begin().await?;
        tx.lock_run(run_id).await?;
        let run: Option<(String, Option<String>)> = sqlx::query_as(sql!(
            "SELECT team_id, requested_by FROM migration_runs WHERE id = ?1 AND state = 'running'"
        ))
        .bind(run_id)
        .fetch_optional(tx.conn())
        .await?;
        let Some((team_id, requested_by)) = run else {
            return Ok(false);
        };
        let next: Option<(String, String)> = sqlx::query_as(built!(format!(
            "SELECT w.id, w.name FROM workspaces w WHERE w.team_id = ?1 AND {} LIMIT 1",
            not_yet_migrated()
        )))
        .bind(&team_id)
        .fetch_optional(tx.conn())
        .await?;
        let Some((workspace_id, name)) = next else {
            return Ok(false);
        };
        let on_workspace = |source| StepError {
            workspace: Some(name.clone()),
            source,
        };
        sqlx::query(sql!(
            "UPDATE workspaces SET migration_state = 'migrated', migrated_at = ?1, migration_run_id = ?2
             WHERE id = ?3"
        ))
        .bind(now())
        .bind(run_id)
        .bind(&workspace_id)
        .execute(tx.conn())
        .await
        .map_err(on_workspace)?;
        sqlx::query(sql!(
            "UPDATE migration_runs SET workspaces_migrated = workspaces_migrated + 1 WHERE id = ?1"
        ))
        .bind(run_id)
        .execute(tx.conn())
        .await
        .map_err(on_workspace)?;
        tx.audit(AuditEntry {
            at: None,
            actor_id: requested_by.as_deref(),
            team_id: &team_id,
            action: partner_api::audit::AuditAction::WorkspaceMigrated,
            workspace_id: Some(&workspace_id),
            partner_team_id: None,
            subject_id: None,
            detail: serde_json::json!({ "run_id": run_id }),
        })
        .await
        .map_err(on_workspace)?;
        tx.commit().await.map_err(on_workspace)?;
        Ok(true)
    }

    /// Unfinished runs (interrupted by a crash, or failed) whose next attempt is due at
    /// `at`, as (run, team), oldest first.
    pub async fn unfinished_migration_runs(
        &self,
        at: time::OffsetDateTime,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT id, team_id FROM migration_runs
             WHERE state = 'running' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
             ORDER BY started_at, id"
        ))
        .bind(timestamp(at))
        .fetch_all(&self.pool)
        .await
    }

    /// Teams with legacy workspaces left and no unfinished run, with their plan.
    pub async fn teams_with_legacy_left(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "SELECT t.id, t.plan FROM teams t
             WHERE t.id IN (SELECT w.team_id FROM workspaces w WHERE {})
               AND NOT EXISTS (SELECT 1 FROM migration_runs r WHERE r.team_id = t.id AND r.state = 'running')
             ORDER BY t.id",
            not_yet_migrated()
        )))
        .fetch_all(&self.pool)
        .await
    }
}

impl Tx {
    /// A run's team and state.
    pub async fn run_state(&mut self, run_id: &str) -> Result<(String, String), sqlx::Error> {
        sqlx::query_as(sql!("SELECT team_id, state FROM migration_runs WHERE id = ?1"))
            .bind(run_id)
            .fetch_one(self.conn())
            .await
    }

    /// The workspaces a run migrated, by name.
    pub async fn run_workspaces(&mut self, run_id: &str) -> Result<Vec<WorkspaceRefRow>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "SELECT w.id, w.name FROM workspaces w WHERE w.migration_run_id = ?1 ORDER BY {}, w.id",
                D.nocase("w.name")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(run_id)
            .fetch_all(self.conn())
            .await
    }

    /// Who a team's migration of the workspaces in `ids` (a JSON array) tells.
    pub async fn migration_audience(
        &mut self,
        team_id: &str,
        ids: &str,
    ) -> Result<MigrationAudience, sqlx::Error> {
        load_audience(self.conn(), team_id, ids).await
    }

    /// Marks a run done, with how many people it emailed.
    pub async fn finish_run(&mut self, run_id: &str, people_emailed: u64) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE migration_runs SET state = 'done', finished_at = ?1, people_emailed = ?2,
                    last_error = NULL, next_attempt_at = NULL
             WHERE id = ?3"
        ))
        .bind(now())
        .bind(i64::try_from(people_emailed).unwrap_or(i64::MAX))
        .bind(run_id)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
