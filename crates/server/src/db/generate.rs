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

/// What `generate --tenants` added: other companies' data, none of it the demo teams'.
#[derive(Debug)]
pub struct Tenants {
    pub publishers: u64,
    pub partner_teams: u64,
    pub users: u64,
    pub workspaces: u64,
    pub grants: u64,
    pub access_requests: u64,
}

/// Per generated publisher (tenant): its people, workspaces and partner teams; each partner
/// team's people get access to two of its workspaces.
const TENANT_MEMBERS: u32 = 5;
const TENANT_WORKSPACES: u32 = 5;
const TENANT_PARTNER_TEAMS: u32 = 10;
const PARTNER_TEAM_PEOPLE: u32 = 5;
const TENANT_REQUESTS: u32 = 20;

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

    /// Adds `tenants` other publisher teams, as many partner-only teams, and their data, so
    /// that the demo teams' lists can be measured beside a large database of other
    /// companies (`scripts/bench/tenants.sh`). Each publisher has 5 people, 5 workspaces
    /// and 10 partner teams of 5 people, each person a Viewer in 2 of its workspaces (100
    /// grants per publisher: 1M for 10,000), and 20 access requests (half pending, already
    /// notified; half decided). Partner teams are named after the demo's (Globex …,
    /// Initech …, Umbrella …) so the demo publishers' searches meet them in every index.
    /// One transaction; running it again adds nothing.
    pub async fn generate_tenants(&self, tenants: u32) -> anyhow::Result<Tenants> {
        self.load_demo().await?;
        if tenants == 0 {
            return Ok(Tenants {
                publishers: 0,
                partner_teams: 0,
                users: 0,
                workspaces: 0,
                grants: 0,
                access_requests: 0,
            });
        }
        let hash = password::hash("partner-demo")?;
        let created = now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let numbers = "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)";
        let publishers = sqlx::query(&format!(
            "{numbers}
             INSERT OR IGNORE INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT printf('tt-%05d', n), printf('Tenant %05d', n), printf('tenant%05d.test', n),
                    CASE n % 3 WHEN 0 THEN 'enterprise' ELSE 'professional' END, 5, n % 2, ? FROM k"
        ))
        .bind(tenants)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let partner_teams = sqlx::query(&format!(
            "{numbers}
             INSERT OR IGNORE INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT printf('tp-%05d', n),
                    CASE n % 4 WHEN 0 THEN 'Globex' WHEN 1 THEN 'Initech' WHEN 2 THEN 'Umbrella'
                               ELSE 'Northwind' END || printf(' Partner %05d', n),
                    printf('partner%05d.test', n), 'professional', 3, (n + 1) % 2, ? FROM k"
        ))
        .bind(tenants)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let mut users = 0;
        for (prefix, people) in [("tt-", TENANT_MEMBERS), ("tp-", PARTNER_TEAM_PEOPLE)] {
            users += sqlx::query(&format!(
                "{numbers}
                 INSERT OR IGNORE INTO users (id, email, name, password_hash, team_id, team_role,
                                              is_partner_manager, last_sign_in_at, last_sign_in_sso, created_at)
                 SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain,
                        'Person ' || k.n || ' of ' || t.name, ?, t.id,
                        CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, k.n = 2, ?, t.sso_enforced, ?
                 FROM teams t, k WHERE t.id >= ? AND t.id < ?"
            ))
            .bind(people)
            .bind(&hash)
            .bind(&created)
            .bind(&created)
            .bind(prefix)
            .bind(format!("{}.", prefix.trim_end_matches('-')))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        let workspaces = sqlx::query(&format!(
            "{numbers}
             INSERT OR IGNORE INTO workspaces (id, team_id, name, summary, visibility, created_at)
             SELECT t.id || '-w' || k.n,  t.id,
                    CASE k.n WHEN 1 THEN 'Payments API' WHEN 2 THEN 'Fraud Signals'
                             WHEN 3 THEN 'Refunds API' WHEN 4 THEN 'Orders API' ELSE 'Internal Tools' END,
                    'Generated workspace.', CASE k.n WHEN 5 THEN 'internal' ELSE 'partner' END, ?
             FROM teams t, k WHERE t.id >= 'tt-' AND t.id < 'tt.'"
        ))
        .bind(TENANT_WORKSPACES)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(&format!(
            "{numbers}
             INSERT OR IGNORE INTO workspace_members (workspace_id, user_id, role)
             SELECT w.id, w.team_id || '-' || (1 + k.n), CASE k.n WHEN 1 THEN 'admin' ELSE 'editor' END
             FROM workspaces w, k WHERE w.id >= 'tt-' AND w.id < 'tt.'"
        ))
        .bind(2)
        .execute(&mut *tx)
        .await?;
        pause_summaries(&mut tx).await?;
        // Tenant n partners with pool teams n*10 .. n*10+9 (mod the pool); each of their
        // people is a Viewer in workspaces (j mod 4)+1 and ((j+1) mod 4)+1.
        let grants = sqlx::query(
            "WITH RECURSIVE j(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM j WHERE n < ? - 1),
                  m(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM m WHERE n < ?),
                  w(n) AS (SELECT 0 UNION ALL SELECT 1),
                  pairs AS (
                      SELECT t.id AS publisher,
                             printf('tp-%05d', ((CAST(substr(t.id, 4) AS INTEGER) * ? + j.n) % ?) + 1) AS partner,
                             j.n AS j
                      FROM teams t, j WHERE t.id >= 'tt-' AND t.id < 'tt.')
             INSERT OR IGNORE INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT p.publisher || '-w' || (((p.j + w.n) % 4) + 1), p.partner || '-' || m.n, p.partner,
                    p.publisher, 'viewer', ?
             FROM pairs p, m, w",
        )
        .bind(TENANT_PARTNER_TEAMS)
        .bind(PARTNER_TEAM_PEOPLE)
        .bind(TENANT_PARTNER_TEAMS)
        .bind(tenants)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        resume_summaries(&mut tx).await?;
        // Requests from people of pool teams the tenant does not partner with.
        let access_requests = sqlx::query(&format!(
            "{numbers}
             INSERT OR IGNORE INTO access_requests (id, workspace_id, publisher_team_id, user_id, role,
                                                    message, status, created_at, decided_at, notified_at)
             SELECT t.id || '-r' || k.n, t.id || '-w' || ((k.n % 4) + 1), t.id,
                    printf('tp-%05d', ((CAST(substr(t.id, 4) AS INTEGER) * 10 + 10 + k.n) % ?) + 1) || '-1',
                    'viewer', 'Generated request.',
                    CASE WHEN k.n % 2 = 0 THEN 'pending' WHEN k.n % 4 = 1 THEN 'approved' ELSE 'denied' END,
                    ?, CASE WHEN k.n % 2 = 0 THEN NULL ELSE ? END, ?
             FROM teams t, k WHERE t.id >= 'tt-' AND t.id < 'tt.'"
        ))
        .bind(TENANT_REQUESTS)
        .bind(tenants)
        .bind(&created)
        .bind(&created)
        .bind(&created)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit()
            .await
            .context("committing the generated tenants")?;
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(Tenants {
            publishers,
            partner_teams,
            users,
            workspaces,
            grants,
            access_requests,
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
