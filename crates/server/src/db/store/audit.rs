// The audit log: one row for every change to partner access and to a team.

/// The columns of an entry as the page shows it (`a` the entry).
macro_rules! audit_select {
    () => {
        "SELECT a.id, a.at, a.action, a.detail,
                a.actor_id, actor.name AS actor_name, actor.email AS actor_email,
                a.workspace_id, w.name AS workspace_name,
                a.partner_team_id, pt.name AS partner_team_name, pt.domain AS partner_team_domain,
                a.subject_id, subject.name AS subject_name, subject.email AS subject_email
         FROM audit_log a
              LEFT JOIN users actor ON actor.id = a.actor_id
              LEFT JOIN workspaces w ON w.id = a.workspace_id
              LEFT JOIN teams pt ON pt.id = a.partner_team_id
              LEFT JOIN users subject ON subject.id = a.subject_id"
    };
}

/// Which of an audit filter's parts are given: each part is a bit of the statement's key,
/// so each statement names only the columns it filters on and its index can be chosen.
const AUDIT_PARTS: [&str; 7] = [
    "a.actor_id = ?2",
    "a.workspace_id = ?3",
    "a.partner_team_id = ?4",
    "a.action = ?5",
    "a.at >= ?6",
    "a.at < ?7",
    "a.at <= ?8 AND (a.at < ?8 OR a.id < ?9)",
];

/// The page's statement for each combination of given parts, newest first.
static AUDIT_STATEMENTS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    (0..1usize << AUDIT_PARTS.len())
        .map(|key| {
            let mut conditions = String::from("a.team_id = ?1");
            for (bit, part) in AUDIT_PARTS.iter().enumerate() {
                conditions.push_str(" AND ");
                if key & (1 << bit) != 0 {
                    conditions.push_str(part);
                } else {
                    // Every parameter is named in every statement (bound as NULL when not given).
                    let params: Vec<&str> = part
                        .split(|c: char| !(c == '?' || c.is_ascii_digit()))
                        .filter(|p| p.starts_with('?'))
                        .collect();
                    let nulls: Vec<String> = params.iter().map(|p| format!("{p} IS NULL")).collect();
                    conditions.push_str(&format!("({})", nulls.join(" AND ")));
                }
            }
            D.sql(&format!(
                "{} WHERE {conditions} ORDER BY a.at DESC, a.id DESC LIMIT ?10",
                audit_select!()
            ))
        })
        .collect()
});

impl Tx {
    /// Appends an entry, inside this transaction.
    pub async fn audit(&mut self, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail, partner_team_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ))
        .bind(entry.at.map_or_else(now, str::to_owned))
        .bind(entry.actor_id)
        .bind(entry.team_id)
        .bind(entry.action.as_str())
        .bind(entry.workspace_id)
        .bind(entry.subject_id)
        .bind(entry.detail.to_string())
        .bind(entry.partner_team_id)
        .execute(self.conn())
        .await?;
        // Every audited change may show on someone's open page.
        self.record_change(NewChange::from(&entry)).await
    }
}

impl Store {
    /// Up to `limit` entries of a team's log that the filter selects, newest first, older
    /// than `before` (an entry's time and id) when given: one index range per page.
    pub async fn audit_entries(
        &self,
        team_id: &str,
        filter: &AuditFilterRow,
        before: Option<(&str, i64)>,
        limit: u32,
    ) -> Result<Vec<AuditRow>, sqlx::Error> {
        let given = [
            filter.actor.is_some(),
            filter.workspace.is_some(),
            filter.partner_team.is_some(),
            filter.action.is_some(),
            filter.from.is_some(),
            filter.until.is_some(),
            before.is_some(),
        ];
        let key = given
            .iter()
            .enumerate()
            .fold(0, |key, (bit, on)| if *on { key | (1 << bit) } else { key });
        sqlx::query_as(AUDIT_STATEMENTS[key].as_str())
            .bind(team_id)
            .bind(filter.actor.as_deref())
            .bind(filter.workspace.as_deref())
            .bind(filter.partner_team.as_deref())
            .bind(filter.action.map(|a| a.as_str()))
            .bind(filter.from.as_deref())
            .bind(filter.until.as_deref())
            .bind(before.map(|(at, _)| at))
            .bind(before.map(|(_, id)| id))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
    }

    /// The choices of the audit log's filters: the team's members, its workspaces, and the
    /// other teams its partner grants connect it with (as publisher or as partner), each by
    /// name and at most `limit`. Each list is read along the team's own rows (the teams from
    /// its grants' two indexes), so its cost is the team's data, not other teams'.
    pub async fn audit_filter_choices(
        &self,
        team_id: &str,
        limit: usize,
    ) -> Result<AuditChoicesRow, sqlx::Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let people = sqlx::query_as(built!(format!(
            "SELECT id, name, email FROM users WHERE team_id = ?1 ORDER BY {}, id LIMIT ?2",
            D.nocase("name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let workspaces = sqlx::query_as(built!(format!(
            "SELECT id, name FROM workspaces WHERE team_id = ?1 ORDER BY {}, id LIMIT ?2",
            D.nocase("name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let teams = sqlx::query_as(built!(format!(
            "SELECT t.id, t.name, t.domain
             FROM (SELECT partner_team_id AS id FROM partner_grants WHERE publisher_team_id = ?1
                   UNION
                   SELECT publisher_team_id FROM partner_grants WHERE partner_team_id = ?1) AS other
                  JOIN teams t ON t.id = other.id
             ORDER BY {}, t.id LIMIT ?2",
            D.nocase("t.name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(AuditChoicesRow {
            people,
            workspaces,
            teams,
        })
    }

    /// The retention periods teams have chosen (a handful of values).
    pub async fn audit_retentions(&self) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar(sql!(
            "SELECT DISTINCT audit_retention_days FROM teams ORDER BY audit_retention_days"
        ))
        .fetch_all(&self.pool)
        .await
    }

    /// Deletes up to `batch` entries older than `before` of teams that keep their log
    /// `days` days (the oldest first, along the log's time index).
    pub async fn delete_audit_before(
        &self,
        days: i64,
        before: &str,
        batch: u32,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(sql!(
            "DELETE FROM audit_log WHERE id IN (
                 SELECT a.id FROM audit_log a JOIN teams t ON t.id = a.team_id
                 WHERE a.at < ?1 AND t.audit_retention_days = ?2
                 ORDER BY a.at LIMIT ?3)"
        ))
        .bind(before)
        .bind(days)
        .bind(i64::from(batch))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
