// The demo data of `shared/API.md`, loaded into either backend.

impl Store {
    /// Loads the demo data of `shared/API.md` in one transaction, unless it is there already.
    pub async fn load_demo(&self) -> anyhow::Result<()> {
    use anyhow::Context;
    use crate::db::demo::*;
    use time::{Duration, OffsetDateTime};
    // Servers starting together load it once: SQLite's write lock from the first statement
    // on, a lock of the demo's own on PostgreSQL.
    let mut tx = self.begin().await?.tx;
    if D == crate::db::sql::Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(1347878912)")
            .execute(&mut *tx)
            .await?;
    }
    let present: bool =
        sqlx::query_scalar(sql!("SELECT EXISTS (SELECT 1 FROM teams WHERE domain = 'acme.test')"))
            .fetch_one(&mut *tx)
            .await?;
    if present {
        return Ok(());
    }
    let created = now();
    for team in &TEAMS {
        sqlx::query(sql!("INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)"),
        )
        .bind(new_id())
        .bind(team.name)
        .bind(team.domain)
        .bind(team.plan)
        .bind(team.editor_seats)
        .bind(team.sso)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
    }

    let hash = crate::domain::password::hash(DEMO_PASSWORD)?;
    let started = OffsetDateTime::now_utc();
    for (i, (login, name, domain, role, manager)) in PEOPLE.iter().enumerate() {
        let team_id = match domain {
            Some(domain) => Some(demo_team_id(&mut tx, domain).await?),
            None => None,
        };
        let email = format!("{login}@{}", domain.unwrap_or("globex.test"));
        let sso = match domain {
            Some(domain) => TEAMS.iter().any(|t| t.domain == *domain && t.sso),
            None => true,
        };
        let last_sign_in = timestamp(started - Duration::hours(3 * (i as i64 + 1)));
        sqlx::query(sql!("INSERT INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                last_sign_in_at, last_sign_in_sso, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        )
        .bind(new_id())
        .bind(email)
        .bind(name)
        .bind(&hash)
        .bind(&team_id)
        .bind(team_id.as_ref().map(|_| *role))
        .bind(manager)
        .bind(last_sign_in)
        .bind(sso)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
    }

    for (name, domain, visibility, multi, legacy, summary) in &WORKSPACES {
        let team = demo_team_id(&mut tx, domain).await?;
        sqlx::query(sql!("INSERT INTO workspaces (id, team_id, name, summary, visibility, multi_partner_mode, legacy,
                                     migration_state, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        )
        .bind(new_id())
        .bind(team)
        .bind(name)
        .bind(summary)
        .bind(visibility)
        .bind(multi)
        .bind(legacy)
        .bind(legacy.then_some("legacy"))
        .bind(if *legacy { "2025-02-03T09:00:00Z".to_owned() } else { created.clone() })
        .execute(&mut *tx)
        .await?;
    }

    for (workspace, login, role) in &MEMBERS {
        sqlx::query(sql!("INSERT INTO workspace_members (workspace_id, user_id, role)
             VALUES ((SELECT id FROM workspaces WHERE name = ?), (SELECT id FROM users WHERE email LIKE ? || '@%'), ?)"),
        )
        .bind(workspace)
        .bind(login)
        .bind(role)
        .execute(&mut *tx)
        .await?;
    }

    for (workspace, login, role) in &GRANTS {
        insert_demo_grant(&mut tx, workspace, login, role, None, &created).await?;
    }
    for (workspace, login) in &ENDED_GRANTS {
        insert_demo_grant(
            &mut tx,
            workspace,
            login,
            "viewer",
            Some("left_team"),
            &created,
        )
        .await?;
    }

    for (publisher, partner) in &SSO_REQUIREMENTS {
        let publisher = demo_team_id(&mut tx, publisher).await?;
        let partner = demo_team_id(&mut tx, partner).await?;
        sqlx::query(sql!("INSERT INTO partner_sso_requirements (publisher_team_id, partner_team_id, created_at)
             VALUES (?, ?, ?)"))
        .bind(publisher)
        .bind(partner)
        .bind(&created)
        .execute(&mut *tx)
        .await?;
    }

    for (workspace, login) in &LEADS {
        sqlx::query(sql!("UPDATE partner_grants SET is_lead = TRUE
             WHERE workspace_id = (SELECT id FROM workspaces WHERE name = ?)
               AND user_id = (SELECT id FROM users WHERE email LIKE ? || '@%')"))
        .bind(workspace)
        .bind(login)
        .execute(&mut *tx)
        .await?;
    }
    for (workspace, login, days) in &EXPIRING_GRANTS {
        sqlx::query(sql!("UPDATE partner_grants SET ends_at = ?
             WHERE workspace_id = (SELECT id FROM workspaces WHERE name = ?)
               AND user_id = (SELECT id FROM users WHERE email LIKE ? || '@%')"))
        .bind(timestamp(started + Duration::days(*days)))
        .bind(workspace)
        .bind(login)
        .execute(&mut *tx)
        .await?;
    }
    // The audit log's history of the demo facts: who invited each partner, the Partner
    // Lead, and Ed's access ending when he left Globex.
    for (workspace, login, role) in &GRANTS {
        let until = EXPIRING_GRANTS
            .iter()
            .find(|(w, l, _)| w == workspace && l == login)
            .map(|(_, _, days)| crate::domain::expiry::day_of(&timestamp(started + Duration::days(*days))));
        let detail = serde_json::json!({
            "after": crate::domain::audit::shown(role, partner_api::PartnerRole::label),
            "until": until,
        });
        insert_demo_audit(&mut tx, workspace, login, "partner.invited", &detail, &timestamp(started - Duration::days(30))).await?;
    }
    for (workspace, login) in &LEADS {
        insert_demo_audit(&mut tx, workspace, login, "partner.lead_granted", &serde_json::json!({}), &timestamp(started - Duration::days(29))).await?;
    }
    for (workspace, login) in &ENDED_GRANTS {
        let detail = serde_json::json!({ "reason": "left_team", "before": "Viewer" });
        insert_demo_audit(&mut tx, workspace, login, "partner.access_ended", &detail, &timestamp(started - Duration::days(2))).await?;
    }
    for (publisher, partner, reviewer, by, days) in &REVIEWS {
        let id = new_id();
        let due = (started + Duration::days(*days))
            .date()
            .with_time(time::Time::from_hms(23, 59, 59).expect("a valid time"))
            .assume_utc();
        sqlx::query(sql!("INSERT INTO access_reviews (id, team_id, scope_kind, scope_id, scope_label, created_by,
                                         created_at, due_at, undecided, state)
             SELECT ?, p.id, 'partner_team', t.id, t.name, (SELECT id FROM users WHERE email LIKE ? || '@%'),
                    ?, ?, 'keep', 'open'
             FROM teams p, teams t WHERE p.domain = ? AND t.domain = ?"))
        .bind(&id)
        .bind(by)
        .bind(timestamp(started - Duration::hours(3)))
        .bind(timestamp(due))
        .bind(publisher)
        .bind(partner)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sql!("INSERT INTO access_review_reviewers (review_id, user_id)
             SELECT ?, id FROM users WHERE email LIKE ? || '@%'"))
        .bind(&id)
        .bind(reviewer)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sql!("INSERT INTO access_review_items (review_id, workspace_id, user_id, partner_team_id, role, granted_at)
             SELECT ?, g.workspace_id, g.user_id, g.partner_team_id, g.role, g.created_at
             FROM partner_grants g
             WHERE g.publisher_team_id = (SELECT id FROM teams WHERE domain = ?)
               AND g.partner_team_id = (SELECT id FROM teams WHERE domain = ?) AND g.revoked_at IS NULL"))
        .bind(&id)
        .bind(publisher)
        .bind(partner)
        .execute(&mut *tx)
        .await?;
    }
    for (domain, email, by) in &TEAM_INVITATIONS {
        // The demo's link is unknown to anyone (its token is thrown away): "Resend" in
        // Team Settings > Members writes a working one to the dev mailbox.
        let token = crate::domain::session_token::generate();
        sqlx::query(sql!("INSERT INTO team_invitations (id, team_id, email, team_role, token_hash, invited_by,
                                           created_at, sent_at, expires_at, state)
             VALUES (?, (SELECT id FROM teams WHERE domain = ?), ?, 'member', ?,
                     (SELECT id FROM users WHERE email LIKE ? || '@%'), ?, ?, ?, 'pending')"))
        .bind(new_id())
        .bind(domain)
        .bind(email)
        .bind(crate::domain::session_token::hash(&token))
        .bind(by)
        .bind(timestamp(started - Duration::hours(26)))
        .bind(timestamp(started - Duration::hours(26)))
        .bind(timestamp(started + Duration::days(partner_api::team::INVITATION_DAYS) - Duration::hours(26)))
        .execute(&mut *tx)
        .await?;
    }

    sqlx::query(sql!("INSERT INTO access_requests (id, workspace_id, publisher_team_id, user_id, role, message, status,
                                      created_at, notified_at)
         VALUES (?, (SELECT id FROM workspaces WHERE name = 'Fraud Signals'),
                 (SELECT team_id FROM workspaces WHERE name = 'Fraud Signals'),
                 (SELECT id FROM users WHERE email = 'gary@globex.test'), 'viewer',
                 'We need the fraud scores for our checkout integration.', 'pending', ?, ?)"),
    )
    .bind(new_id())
    .bind(timestamp(started - Duration::hours(20)))
    .bind(&created)
    .execute(&mut *tx)
    .await?;

    tx.commit().await.context("committing the demo data")?;
    tracing::info!("demo data loaded");
    Ok(())
    }
}

async fn demo_team_id(tx: &mut Conn, domain: &str) -> anyhow::Result<String> {
    use anyhow::Context;
    sqlx::query_scalar(sql!("SELECT id FROM teams WHERE domain = ?"))
        .bind(domain)
        .fetch_one(tx)
        .await
        .with_context(|| format!("demo team {domain}"))
}

/// An entry in a workspace's publisher's log about one partner's grant; the actor is the
/// workspace's Workspace Admin, except for an ended grant (the server: they left).
async fn insert_demo_audit(
    tx: &mut Conn,
    workspace: &str,
    login: &str,
    action: &str,
    detail: &serde_json::Value,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(sql!("INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail, partner_team_id)
         SELECT ?, CASE WHEN ? = 'partner.access_ended' THEN NULL ELSE
                    (SELECT m.user_id FROM workspace_members m WHERE m.workspace_id = g.workspace_id AND m.role = 'admin'
                     ORDER BY m.user_id LIMIT 1) END,
                g.publisher_team_id, ?, g.workspace_id, g.user_id, ?, g.partner_team_id
         FROM partner_grants g
         WHERE g.workspace_id = (SELECT id FROM workspaces WHERE name = ?)
           AND g.user_id = (SELECT id FROM users WHERE email LIKE ? || '@%')"))
    .bind(at)
    .bind(action)
    .bind(action)
    .bind(detail.to_string())
    .bind(workspace)
    .bind(login)
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_demo_grant(
    tx: &mut Conn,
    workspace: &str,
    login: &str,
    role: &str,
    revoked_reason: Option<&str>,
    created: &str,
) -> anyhow::Result<()> {
    // Ed's ended grants belonged to Globex, the team he has left.
    sqlx::query(sql!("INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role,
                                     created_at, revoked_at, revoked_reason)
         SELECT w.id, u.id, COALESCE(u.team_id, (SELECT id FROM teams WHERE domain = 'globex.test')),
                w.team_id, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE ? END, ?
         FROM workspaces w, users u
         WHERE w.name = ? AND u.email LIKE ? || '@%'"),
    )
    .bind(role)
    .bind(created)
    .bind(revoked_reason)
    .bind(created)
    .bind(revoked_reason)
    .bind(workspace)
    .bind(login)
    .execute(tx)
    .await?;
    Ok(())
}
