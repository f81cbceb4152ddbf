//! Bulk data for benchmarks: many partner teams of the demo publisher (Acme Payments).

use anyhow::Context;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{Db, now, timestamp};
use crate::domain::password;

const FIRST: [&str; 16] = [
    "Northwind",
    "Blue",
    "Silver",
    "Granite",
    "Harbor",
    "Summit",
    "Copper",
    "Vertex",
    "Maple",
    "Orbit",
    "Lumen",
    "Cedar",
    "Pioneer",
    "Quartz",
    "Aurora",
    "Beacon",
];
const SECOND: [&str; 16] = [
    "Labs",
    "Systems",
    "Logistics",
    "Health",
    "Capital",
    "Retail",
    "Networks",
    "Media",
    "Energy",
    "Foods",
    "Robotics",
    "Travel",
    "Security",
    "Analytics",
    "Studio",
    "Partners",
];

/// What was generated.
#[derive(Debug)]
pub struct Generated {
    pub teams: u64,
    pub partners: u64,
    pub grants: u64,
}

/// From here to [`resume_summaries`] in the same transaction, changes to partner access
/// note the partnership summaries to recompute instead of recomputing them row by row.
async fn pause_summaries(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO partnership_refresh_paused (paused) VALUES (1)")
        .execute(conn)
        .await?;
    Ok(())
}

/// Recomputes, once each, the summaries noted since [`pause_summaries`].
async fn resume_summaries(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM partnership_refresh_paused")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO partnership_refresh (publisher_team_id, partner_team_id)
         SELECT publisher_team_id, partner_team_id FROM partnership_refresh_pending",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM partnership_refresh_pending")
        .execute(conn)
        .await?;
    Ok(())
}

impl Db {
    /// Adds `teams` partner teams with `per_team` partners each to the demo data (loaded
    /// first if missing), every partner a Viewer in Payments API and every third team's
    /// partners in Fraud Signals too. One transaction; running it again adds nothing.
    pub async fn generate(&self, teams: u32, per_team: u32) -> anyhow::Result<Generated> {
        self.load_demo().await?;
        let hash = password::hash("partner-demo")?;
        let created = now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let started = OffsetDateTime::now_utc();
        for n in 0..teams {
            let name = format!(
                "{} {} {:05}",
                FIRST[(n as usize) % FIRST.len()],
                SECOND[(n as usize / FIRST.len()) % SECOND.len()],
                n
            );
            let domain = format!("gen{n:05}.test");
            // Spread last activity over the past 90 days so sorting by it means something.
            let active = timestamp(started - time::Duration::minutes(i64::from(n % 129_600)));
            sqlx::query(
                "INSERT OR IGNORE INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
                 VALUES (?, ?, ?, ?, 3, ?, ?)",
            )
            .bind(format!("gen-{n:05}"))
            .bind(&name)
            .bind(&domain)
            .bind(if n % 3 == 0 { "enterprise" } else { "professional" })
            .bind(n % 2 == 0)
            .bind(&active)
            .execute(&mut *tx)
            .await?;
        }
        let users = sqlx::query(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
             INSERT OR IGNORE INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                          last_sign_in_at, last_sign_in_sso, created_at)
             SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain, 'Person ' || k.n || ' of ' || t.name,
                    ?, t.id, CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, 0, t.created_at, t.sso_enforced, ?
             FROM teams t, k WHERE t.id LIKE 'gen-%'",
        )
        .bind(per_team)
        .bind(&hash)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // The partnership summaries of each pair are computed once, not once per grant.
        pause_summaries(&mut tx).await?;
        let grants = sqlx::query(
            "INSERT OR IGNORE INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT w.id, u.id, u.team_id, w.team_id, 'viewer', ?
             FROM users u JOIN workspaces w ON w.name = 'Payments API'
                 OR (w.name = 'Fraud Signals' AND CAST(substr(u.team_id, 5) AS INTEGER) % 3 = 0)
             WHERE u.team_id LIKE 'gen-%'
               AND w.team_id = (SELECT id FROM teams WHERE domain = 'acme.test')",
        )
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        resume_summaries(&mut tx).await?;
        tx.commit().await.context("committing the generated data")?;
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(Generated {
            teams: u64::from(teams),
            partners: users,
            grants,
        })
    }

    /// Adds `workspaces` legacy (pre-May 2025) partner workspaces to Acme Payments (the
    /// demo is loaded first if missing), each with Wanda or Mike as Workspace Admin and its
    /// own partner team of `partners_each` Viewers; Ivan is a partner in every 25th. One
    /// transaction; running it again adds nothing. Returns the partner grants created.
    pub async fn generate_legacy(
        &self,
        workspaces: u32,
        partners_each: u32,
    ) -> anyhow::Result<u64> {
        self.load_demo().await?;
        if workspaces == 0 {
            return Ok(0);
        }
        let hash = password::hash("partner-demo")?;
        let created = now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
             INSERT OR IGNORE INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT printf('legacy-%05d', n), printf('Legacy Partner %05d', n), printf('legacy%05d.test', n),
                    'professional', 3, n % 2, ? FROM k",
        )
        .bind(workspaces)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
             INSERT OR IGNORE INTO workspaces (id, team_id, name, summary, visibility, legacy, migration_state, created_at)
             SELECT printf('legacy-ws-%05d', n), (SELECT id FROM teams WHERE domain = 'acme.test'),
                    printf('Legacy Workspace %05d', n), 'Generated legacy partner workspace.', 'partner',
                    1, 'legacy', '2025-01-15T09:00:00Z' FROM k",
        )
        .bind(workspaces)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT OR IGNORE INTO workspace_members (workspace_id, user_id, role)
             SELECT w.id, (SELECT id FROM users WHERE email = CASE WHEN w.rowid % 2 = 0
                                                             THEN 'wanda@acme.test' ELSE 'mike@acme.test' END),
                    'admin'
             FROM workspaces w WHERE w.id LIKE 'legacy-ws-%'",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
             INSERT OR IGNORE INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                          last_sign_in_sso, created_at)
             SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain, 'Person ' || k.n || ' of ' || t.name,
                    ?, t.id, CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, 0, t.sso_enforced, ?
             FROM teams t, k WHERE t.id LIKE 'legacy-%' AND ? > 0",
        )
        .bind(partners_each)
        .bind(&hash)
        .bind(&created)
        .bind(partners_each)
        .execute(&mut *tx)
        .await?;
        pause_summaries(&mut tx).await?;
        let mut grants = sqlx::query(
            "INSERT OR IGNORE INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT 'legacy-ws-' || substr(u.team_id, 8), u.id, u.team_id, w.team_id, 'viewer', ?
             FROM users u JOIN workspaces w ON w.id = 'legacy-ws-' || substr(u.team_id, 8)
             WHERE u.team_id LIKE 'legacy-%'",
        )
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        grants += sqlx::query(
            "INSERT OR IGNORE INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT w.id, u.id, u.team_id, w.team_id, 'viewer', ?
             FROM workspaces w, users u
             WHERE w.id LIKE 'legacy-ws-%' AND CAST(substr(w.id, 11) AS INTEGER) % 25 = 0
               AND u.email = 'ivan@initech.test'",
        )
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        resume_summaries(&mut tx).await?;
        tx.commit()
            .await
            .context("committing the generated legacy workspaces")?;
        Ok(grants)
    }
}
