// Bulk data for benchmarks and tests: many partner teams of the demo publisher, legacy
// workspaces, and other companies (tenants). Each load is one transaction that notes the
// partnership summaries to recompute and recomputes each pair once at its end.

/// `sql` in this dialect, with `{PAD(expr)}` as `expr` written with five digits.
fn generated(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(start) = rest.find("{PAD(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let end = after.find(")}").expect("a {PAD(…)} is closed");
        let expr = &after[..end];
        out.push_str(&match D {
            crate::db::sql::Dialect::Sqlite => format!("printf('%05d', {expr})"),
            crate::db::sql::Dialect::Postgres => format!("lpad(CAST({expr} AS TEXT), 5, '0')"),
        });
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    D.sql(&out)
}

impl Store {
    /// After a bulk load: the planner's statistics, and on PostgreSQL the dead row versions
    /// of the totals every summary insert updated (a publisher's one totals row had 134
    /// pages of them after 10,000 partner teams, read by every list until autovacuum came).
    async fn analyze(&self) -> Result<(), sqlx::Error> {
        let statement = match D {
            crate::db::sql::Dialect::Sqlite => "ANALYZE",
            crate::db::sql::Dialect::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(statement).execute(&self.pool).await?;
        Ok(())
    }
}

/// From here to [`resume_summaries`] in the same transaction, changes to partner access
/// note the partnership summaries to recompute instead of recomputing them row by row.
async fn pause_summaries(conn: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query(sql!(
        "INSERT INTO partnership_refresh_paused (paused) VALUES (TRUE) ON CONFLICT DO NOTHING"
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells PostgreSQL's recomputation that this transaction recomputes in bulk (no lock per
/// pair; see migrations/postgres/0002). Nothing on SQLite, whose writer is alone anyway.
pub(crate) async fn bulk_refresh(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if D == crate::db::sql::Dialect::Postgres {
        sqlx::query("SELECT set_config('partner.bulk_refresh', 'on', true)")
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Recomputes, once each, the summaries noted since [`pause_summaries`].
async fn resume_summaries(conn: &mut Conn) -> Result<(), sqlx::Error> {
    sqlx::query(sql!("DELETE FROM partnership_refresh_paused"))
        .execute(&mut *conn)
        .await?;
    bulk_refresh(&mut *conn).await?;
    sqlx::query(sql!(
        "INSERT INTO partnership_refresh (publisher_team_id, partner_team_id)
         SELECT publisher_team_id, partner_team_id FROM partnership_refresh_pending"
    ))
    .execute(&mut *conn)
    .await?;
    sqlx::query(sql!("DELETE FROM partnership_refresh_pending"))
        .execute(conn)
        .await?;
    Ok(())
}

const NUMBERS: &str = "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?1)";

impl Store {
    /// Adds `teams` partner teams with `per_team` partners each to the demo data (loaded
    /// first if missing), every partner a Viewer in Payments API and every third team's
    /// partners in Fraud Signals too. One transaction; running it again adds nothing.
    pub async fn generate(&self, teams: u32, per_team: u32) -> anyhow::Result<crate::db::Generated> {
        use anyhow::Context;
        use crate::db::generate::{FIRST, SECOND};
        self.load_demo().await?;
        let hash = crate::domain::password::hash("partner-demo")?;
        let created = now();
        let mut tx = self.begin().await?;
        let started = time::OffsetDateTime::now_utc();
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
            sqlx::query(sql!(
                "INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
                 VALUES (?1, ?2, ?3, ?4, 3, ?5, ?6) ON CONFLICT DO NOTHING"
            ))
            .bind(format!("gen-{n:05}"))
            .bind(&name)
            .bind(&domain)
            .bind(if n % 3 == 0 { "enterprise" } else { "professional" })
            .bind(n % 2 == 0)
            .bind(&active)
            .execute(tx.conn())
            .await?;
        }
        let partners = sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                last_sign_in_at, last_sign_in_sso, created_at)
             SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain, 'Person ' || k.n || ' of ' || t.name,
                    ?2, t.id, CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, FALSE, t.created_at,
                    t.sso_enforced, ?3
             FROM teams t, k WHERE t.id LIKE 'gen-%'
             ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(per_team))
        .bind(&hash)
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        pause_summaries(tx.conn()).await?;
        let grants = sqlx::query(sql!(
            "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT w.id, u.id, u.team_id, w.team_id, 'viewer', ?1
             FROM users u JOIN workspaces w ON w.name = 'Payments API'
                 OR (w.name = 'Fraud Signals' AND CAST(substr(u.team_id, 5) AS INTEGER) % 3 = 0)
             WHERE u.team_id LIKE 'gen-%'
               AND w.team_id = (SELECT id FROM teams WHERE domain = 'acme.test')
             ON CONFLICT DO NOTHING"
        ))
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        resume_summaries(tx.conn()).await?;
        tx.commit().await.context("committing the generated data")?;
        self.analyze().await?;
        Ok(crate::db::Generated {
            teams: u64::from(teams),
            partners,
            grants,
        })
    }

    /// Adds `tenants` other publisher teams, as many partner-only teams, and their data, so
    /// that the demo teams' lists can be measured beside a large database of other
    /// companies (`scripts/bench/tenants.sh`): see [`crate::db::generate`].
    pub async fn generate_tenants(&self, tenants: u32) -> anyhow::Result<crate::db::Tenants> {
        use anyhow::Context;
        use crate::db::generate::{
            PARTNER_TEAM_PEOPLE, TENANT_MEMBERS, TENANT_PARTNER_TEAMS, TENANT_REQUESTS,
            TENANT_WORKSPACES,
        };
        self.load_demo().await?;
        if tenants == 0 {
            return Ok(crate::db::Tenants::default());
        }
        let hash = crate::domain::password::hash("partner-demo")?;
        let created = now();
        let tenants = i64::from(tenants);
        let mut tx = self.begin().await?;
        let publishers = sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT 'tt-' || {{PAD(n)}}, 'Tenant ' || {{PAD(n)}}, 'tenant' || {{PAD(n)}} || '.test',
                    CASE n % 3 WHEN 0 THEN 'enterprise' ELSE 'professional' END, 5, n % 2 = 1, ?2
             FROM k WHERE TRUE ON CONFLICT DO NOTHING"
        )))
        .bind(tenants)
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        let partner_teams = sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT 'tp-' || {{PAD(n)}},
                    CASE n % 4 WHEN 0 THEN 'Globex' WHEN 1 THEN 'Initech' WHEN 2 THEN 'Umbrella'
                               ELSE 'Northwind' END || ' Partner ' || {{PAD(n)}},
                    'partner' || {{PAD(n)}} || '.test', 'professional', 3, n % 2 = 0, ?2
             FROM k WHERE TRUE ON CONFLICT DO NOTHING"
        )))
        .bind(tenants)
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        let mut users = 0;
        for (prefix, people) in [("tt-%", TENANT_MEMBERS), ("tp-%", PARTNER_TEAM_PEOPLE)] {
            users += sqlx::query(&generated(&format!(
                "{NUMBERS}
                 INSERT INTO users (id, email, name, password_hash, team_id, team_role,
                                    is_partner_manager, last_sign_in_at, last_sign_in_sso, created_at)
                 SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain,
                        'Person ' || k.n || ' of ' || t.name, ?2, t.id,
                        CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, k.n = 2, ?3, t.sso_enforced, ?3
                 FROM teams t, k WHERE t.id LIKE ?4 ON CONFLICT DO NOTHING"
            )))
            .bind(i64::from(people))
            .bind(&hash)
            .bind(&created)
            .bind(prefix)
            .execute(tx.conn())
            .await?
            .rows_affected();
        }
        let workspaces = sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO workspaces (id, team_id, name, summary, visibility, created_at)
             SELECT t.id || '-w' || k.n, t.id,
                    CASE k.n WHEN 1 THEN 'Payments API' WHEN 2 THEN 'Fraud Signals'
                             WHEN 3 THEN 'Refunds API' WHEN 4 THEN 'Orders API' ELSE 'Internal Tools' END,
                    'Generated workspace.', CASE k.n WHEN 5 THEN 'internal' ELSE 'partner' END, ?2
             FROM teams t, k WHERE t.id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(TENANT_WORKSPACES))
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO workspace_members (workspace_id, user_id, role)
             SELECT w.id, w.team_id || '-' || (1 + k.n), CASE k.n WHEN 1 THEN 'admin' ELSE 'editor' END
             FROM workspaces w, k WHERE w.id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        )))
        .bind(2_i64)
        .execute(tx.conn())
        .await?;
        pause_summaries(tx.conn()).await?;
        // Tenant n partners with pool teams n*10 .. n*10+9 (mod the pool); each of their
        // people is a Viewer in workspaces (j mod 4)+1 and ((j+1) mod 4)+1.
        let grants = sqlx::query(&generated(
            "WITH RECURSIVE j(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM j WHERE n < ?1 - 1),
                  m(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM m WHERE n < ?2),
                  w(n) AS (SELECT 0 UNION ALL SELECT 1),
                  pairs AS (
                      SELECT t.id AS publisher,
                             'tp-' || {PAD(((CAST(substr(t.id, 4) AS INTEGER) * ?1 + j.n) % ?3) + 1)} AS partner,
                             j.n AS j
                      FROM teams t, j WHERE t.id LIKE 'tt-%')
             INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT p.publisher || '-w' || (((p.j + w.n) % 4) + 1), p.partner || '-' || m.n, p.partner,
                    p.publisher, 'viewer', ?4
             FROM pairs p, m, w WHERE TRUE ON CONFLICT DO NOTHING",
        ))
        .bind(i64::from(TENANT_PARTNER_TEAMS))
        .bind(i64::from(PARTNER_TEAM_PEOPLE))
        .bind(tenants)
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        resume_summaries(tx.conn()).await?;
        // Requests from people of pool teams the tenant does not partner with.
        let access_requests = sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO access_requests (id, workspace_id, publisher_team_id, user_id, role,
                                          message, status, created_at, decided_at, notified_at)
             SELECT t.id || '-r' || k.n, t.id || '-w' || ((k.n % 4) + 1), t.id,
                    'tp-' || {{PAD(((CAST(substr(t.id, 4) AS INTEGER) * 10 + 10 + k.n) % ?2) + 1)}} || '-1',
                    'viewer', 'Generated request.',
                    CASE WHEN k.n % 2 = 0 THEN 'pending' WHEN k.n % 4 = 1 THEN 'approved' ELSE 'denied' END,
                    ?3, CASE WHEN k.n % 2 = 0 THEN NULL ELSE ?3 END, ?3
             FROM teams t, k WHERE t.id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(TENANT_REQUESTS))
        .bind(tenants)
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        // Team invitations: one pending and one accepted per team.
        let blob = if D == crate::db::sql::Dialect::Postgres { "BYTEA" } else { "BLOB" };
        sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO team_invitations (id, team_id, email, team_role, token_hash, invited_by,
                                           created_at, sent_at, expires_at, state)
             SELECT t.id || '-i' || k.n, t.id, 'invitee' || k.n || '@' || t.domain, 'member',
                    CAST(t.id || '-i' || k.n AS {blob}), t.id || '-1', ?2, ?2, ?2,
                    CASE k.n WHEN 1 THEN 'pending' ELSE 'accepted' END
             FROM teams t, k WHERE t.id LIKE 'tt-%' OR t.id LIKE 'tp-%' ON CONFLICT DO NOTHING"
        )))
        .bind(2_i64)
        .bind(&created)
        .execute(tx.conn())
        .await?;
        // One access review per publisher over all its grants, its first person reviewing.
        sqlx::query(sql!(
            "INSERT INTO access_reviews (id, team_id, scope_kind, scope_label, created_by, created_at,
                                         due_at, undecided, state)
             SELECT t.id || '-r', t.id, 'all', 'All partner access', t.id || '-1', ?1, ?1, 'keep', 'open'
             FROM teams t WHERE t.id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        ))
        .bind(&created)
        .execute(tx.conn())
        .await?;
        sqlx::query(sql!(
            "INSERT INTO access_review_reviewers (review_id, user_id)
             SELECT t.id || '-r', t.id || '-1' FROM teams t WHERE t.id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        ))
        .execute(tx.conn())
        .await?;
        sqlx::query(sql!(
            "INSERT INTO access_review_items (review_id, workspace_id, user_id, partner_team_id, role, granted_at)
             SELECT g.publisher_team_id || '-r', g.workspace_id, g.user_id, g.partner_team_id, g.role, g.created_at
             FROM partner_grants g WHERE g.publisher_team_id LIKE 'tt-%' ON CONFLICT DO NOTHING"
        ))
        .execute(tx.conn())
        .await?;
        // SSO: every other pool team signs in through its own provider, and each publisher
        // requires SSO of the pool teams whose number is even among those it partners with;
        // sign-ins in flight (as real ones would be, while people sign in).
        sqlx::query(&generated(&format!(
            "INSERT INTO team_sso_providers (team_id, issuer, client_id, client_secret, updated_at)
             SELECT t.id, 'https://login.' || t.domain, 'partner-workspaces', CAST(t.id AS {blob}), ?1
             FROM teams t WHERE t.id LIKE 'tp-%' AND CAST(substr(t.id, 4) AS INTEGER) % 2 = 0
             ON CONFLICT DO NOTHING"
        )))
        .bind(&created)
        .execute(tx.conn())
        .await?;
        sqlx::query(sql!(
            "INSERT INTO partner_sso_requirements (publisher_team_id, partner_team_id, created_at)
             SELECT DISTINCT g.publisher_team_id, g.partner_team_id, ?1 FROM partner_grants g
             WHERE g.publisher_team_id LIKE 'tt-%' AND CAST(substr(g.partner_team_id, 4) AS INTEGER) % 2 = 0
             ON CONFLICT DO NOTHING"
        ))
        .bind(&created)
        .execute(tx.conn())
        .await?;
        sqlx::query(&generated(&format!(
            "INSERT INTO sso_logins (state_hash, browser_hash, team_id, email, nonce, pkce_verifier,
                                     return_to, expires_at)
             SELECT CAST(p.team_id || '-login' AS {blob}), CAST(p.team_id AS {blob}), p.team_id,
                    'person1@' || t.domain, 'n', 'v', '/', ?1
             FROM team_sso_providers p JOIN teams t ON t.id = p.team_id WHERE p.team_id LIKE 'tp-%'
             ON CONFLICT DO NOTHING"
        )))
        .bind(&created)
        .execute(tx.conn())
        .await?;
        tx.commit()
            .await
            .context("committing the generated tenants")?;
        self.analyze().await?;
        Ok(crate::db::Tenants {
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
    pub async fn generate_legacy(&self, workspaces: u32, partners_each: u32) -> anyhow::Result<u64> {
        use anyhow::Context;
        self.load_demo().await?;
        if workspaces == 0 {
            return Ok(0);
        }
        let hash = crate::domain::password::hash("partner-demo")?;
        let created = now();
        let mut tx = self.begin().await?;
        sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             SELECT 'legacy-' || {{PAD(n)}}, 'Legacy Partner ' || {{PAD(n)}}, 'legacy' || {{PAD(n)}} || '.test',
                    'professional', 3, n % 2 = 1, ?2 FROM k WHERE TRUE ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(workspaces))
        .bind(&created)
        .execute(tx.conn())
        .await?;
        sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO workspaces (id, team_id, name, summary, visibility, legacy, migration_state, created_at)
             SELECT 'legacy-ws-' || {{PAD(n)}}, (SELECT id FROM teams WHERE domain = 'acme.test'),
                    'Legacy Workspace ' || {{PAD(n)}}, 'Generated legacy partner workspace.', 'partner',
                    TRUE, 'legacy', '2025-01-15T09:00:00.000000000Z' FROM k WHERE TRUE ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(workspaces))
        .execute(tx.conn())
        .await?;
        sqlx::query(sql!(
            "INSERT INTO workspace_members (workspace_id, user_id, role)
             SELECT w.id, (SELECT id FROM users WHERE email = CASE WHEN CAST(substr(w.id, 11) AS INTEGER) % 2 = 0
                                                             THEN 'wanda@acme.test' ELSE 'mike@acme.test' END),
                    'admin'
             FROM workspaces w WHERE w.id LIKE 'legacy-ws-%' ON CONFLICT DO NOTHING"
        ))
        .execute(tx.conn())
        .await?;
        sqlx::query(&generated(&format!(
            "{NUMBERS}
             INSERT INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                last_sign_in_sso, created_at)
             SELECT t.id || '-' || k.n, 'person' || k.n || '@' || t.domain, 'Person ' || k.n || ' of ' || t.name,
                    ?2, t.id, CASE k.n WHEN 1 THEN 'admin' ELSE 'member' END, FALSE, t.sso_enforced, ?3
             FROM teams t, k WHERE t.id LIKE 'legacy-%' AND ?1 > 0 ON CONFLICT DO NOTHING"
        )))
        .bind(i64::from(partners_each))
        .bind(&hash)
        .bind(&created)
        .execute(tx.conn())
        .await?;
        pause_summaries(tx.conn()).await?;
        let mut grants = sqlx::query(sql!(
            "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT 'legacy-ws-' || substr(u.team_id, 8), u.id, u.team_id, w.team_id, 'viewer', ?1
             FROM users u JOIN workspaces w ON w.id = 'legacy-ws-' || substr(u.team_id, 8)
             WHERE u.team_id LIKE 'legacy-%' ON CONFLICT DO NOTHING"
        ))
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        grants += sqlx::query(sql!(
            "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT w.id, u.id, u.team_id, w.team_id, 'viewer', ?1
             FROM workspaces w, users u
             WHERE w.id LIKE 'legacy-ws-%' AND CAST(substr(w.id, 11) AS INTEGER) % 25 = 0
               AND u.email = 'ivan@initech.test'
             ON CONFLICT DO NOTHING"
        ))
        .bind(&created)
        .execute(tx.conn())
        .await?
        .rows_affected();
        resume_summaries(tx.conn()).await?;
        tx.commit()
            .await
            .context("committing the generated legacy workspaces")?;
        Ok(grants)
    }
}
