//! The demo data of `shared/API.md` ("Demo data"): tests and outside clients rely on it.

use anyhow::Context;
use sqlx::{Sqlite, SqlitePool, Transaction};
use time::{Duration, OffsetDateTime};

use super::{new_id, now, timestamp};
use crate::domain::password;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "partner-demo";

struct Team {
    name: &'static str,
    domain: &'static str,
    plan: &'static str,
    editor_seats: i64,
    sso: bool,
}

const TEAMS: [Team; 5] = [
    Team {
        name: "Acme Payments",
        domain: "acme.test",
        plan: "professional",
        editor_seats: 3,
        sso: true,
    },
    Team {
        name: "Hooli",
        domain: "hooli.test",
        plan: "enterprise",
        editor_seats: 10,
        sso: true,
    },
    Team {
        name: "Globex",
        domain: "globex.test",
        plan: "professional",
        editor_seats: 3,
        sso: true,
    },
    Team {
        name: "Initech",
        domain: "initech.test",
        plan: "professional",
        editor_seats: 3,
        sso: false,
    },
    Team {
        name: "Umbrella",
        domain: "umbrella.test",
        plan: "enterprise",
        editor_seats: 10,
        sso: false,
    },
];

/// (login, display name, team domain, team role, partner manager)
const PEOPLE: [(&str, &str, Option<&str>, &str, bool); 10] = [
    ("alice", "Alice Adams", Some("acme.test"), "admin", false),
    ("paul", "Paul Parker", Some("acme.test"), "member", true),
    ("wanda", "Wanda Wells", Some("acme.test"), "member", false),
    ("mike", "Mike Moore", Some("acme.test"), "member", false),
    ("hana", "Hana Hill", Some("hooli.test"), "admin", false),
    ("gina", "Gina Gray", Some("globex.test"), "member", false),
    ("gary", "Gary Green", Some("globex.test"), "member", false),
    // Ed was removed from Globex: he can sign in, belongs to no team, and has access to nothing.
    ("ed", "Ed Evans", None, "", false),
    ("ivan", "Ivan Ito", Some("initech.test"), "member", false),
    ("uma", "Uma Ueda", Some("umbrella.test"), "member", false),
];

/// (name, publisher domain, visibility, multi-partner mode, legacy, summary)
const WORKSPACES: [(&str, &str, &str, bool, bool, &str); 5] = [
    (
        "Payments API",
        "acme.test",
        "partner",
        false,
        false,
        "Charge, capture and refund card payments.",
    ),
    (
        "Fraud Signals",
        "acme.test",
        "partner",
        true,
        false,
        "Risk scores and fraud signals for every payment.",
    ),
    (
        "Refunds API",
        "acme.test",
        "partner",
        false,
        true,
        "Refunds and disputes (created before May 2025).",
    ),
    (
        "Internal Tools",
        "acme.test",
        "internal",
        false,
        false,
        "Back-office scripts for Acme's own team.",
    ),
    (
        "Hooli Search API",
        "hooli.test",
        "partner",
        false,
        false,
        "Search Hooli's catalogue from partner apps.",
    ),
];

/// Publisher members' workspace roles: (workspace, login, role).
const MEMBERS: [(&str, &str, &str); 10] = [
    ("Payments API", "wanda", "admin"),
    ("Payments API", "mike", "editor"),
    ("Payments API", "paul", "viewer"),
    ("Fraud Signals", "wanda", "admin"),
    ("Fraud Signals", "mike", "editor"),
    ("Refunds API", "wanda", "admin"),
    ("Refunds API", "mike", "editor"),
    ("Internal Tools", "mike", "editor"),
    ("Internal Tools", "wanda", "editor"),
    ("Hooli Search API", "hana", "admin"),
];

/// Partner grants: (workspace, login, role).
const GRANTS: [(&str, &str, &str); 7] = [
    ("Payments API", "gina", "editor"),
    ("Payments API", "gary", "viewer"),
    ("Payments API", "ivan", "viewer"),
    ("Fraud Signals", "ivan", "viewer"),
    ("Fraud Signals", "uma", "viewer"),
    ("Refunds API", "ivan", "viewer"),
    ("Hooli Search API", "ivan", "viewer"),
];

/// Grants that ended when their holder left the partner team: (workspace, login).
const ENDED_GRANTS: [(&str, &str); 2] = [("Payments API", "ed"), ("Fraud Signals", "ed")];

/// Loads the demo data in one transaction, unless it is there already.
pub async fn load(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let present: Option<i64> = sqlx::query_scalar("SELECT 1 FROM teams WHERE domain = 'acme.test'")
        .fetch_optional(&mut *tx)
        .await?;
    if present.is_some() {
        return Ok(());
    }
    let created = now();
    for team in &TEAMS {
        sqlx::query(
            "INSERT INTO teams (id, name, domain, plan, editor_seats_included, sso_enforced, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
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

    let hash = password::hash(DEMO_PASSWORD)?;
    let started = OffsetDateTime::now_utc();
    for (i, (login, name, domain, role, manager)) in PEOPLE.iter().enumerate() {
        let team_id = match domain {
            Some(domain) => Some(team_id(&mut tx, domain).await?),
            None => None,
        };
        let email = format!("{login}@{}", domain.unwrap_or("globex.test"));
        let sso = match domain {
            Some(domain) => TEAMS.iter().any(|t| t.domain == *domain && t.sso),
            None => true,
        };
        let last_sign_in = timestamp(started - Duration::hours(3 * (i as i64 + 1)));
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, team_id, team_role, is_partner_manager,
                                last_sign_in_at, last_sign_in_sso, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        let team = team_id(&mut tx, domain).await?;
        sqlx::query(
            "INSERT INTO workspaces (id, team_id, name, summary, visibility, multi_partner_mode, legacy,
                                     migration_state, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        sqlx::query(
            "INSERT INTO workspace_members (workspace_id, user_id, role)
             VALUES ((SELECT id FROM workspaces WHERE name = ?), (SELECT id FROM users WHERE email LIKE ? || '@%'), ?)",
        )
        .bind(workspace)
        .bind(login)
        .bind(role)
        .execute(&mut *tx)
        .await?;
    }

    for (workspace, login, role) in &GRANTS {
        insert_grant(&mut tx, workspace, login, role, None, &created).await?;
    }
    for (workspace, login) in &ENDED_GRANTS {
        insert_grant(
            &mut tx,
            workspace,
            login,
            "viewer",
            Some("left_team"),
            &created,
        )
        .await?;
    }

    sqlx::query(
        "INSERT INTO access_requests (id, workspace_id, publisher_team_id, user_id, role, message, status,
                                      created_at, notified_at)
         VALUES (?, (SELECT id FROM workspaces WHERE name = 'Fraud Signals'),
                 (SELECT team_id FROM workspaces WHERE name = 'Fraud Signals'),
                 (SELECT id FROM users WHERE email = 'gary@globex.test'), 'viewer',
                 'We need the fraud scores for our checkout integration.', 'pending', ?, ?)",
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

async fn team_id(tx: &mut Transaction<'_, Sqlite>, domain: &str) -> anyhow::Result<String> {
    sqlx::query_scalar("SELECT id FROM teams WHERE domain = ?")
        .bind(domain)
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("demo team {domain}"))
}

async fn insert_grant(
    tx: &mut Transaction<'_, Sqlite>,
    workspace: &str,
    login: &str,
    role: &str,
    revoked_reason: Option<&str>,
    created: &str,
) -> anyhow::Result<()> {
    // Ed's ended grants belonged to Globex, the team he has left.
    sqlx::query(
        "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role,
                                     created_at, revoked_at, revoked_reason)
         SELECT w.id, u.id, COALESCE(u.team_id, (SELECT id FROM teams WHERE domain = 'globex.test')),
                w.team_id, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE ? END, ?
         FROM workspaces w, users u
         WHERE w.name = ? AND u.email LIKE ? || '@%'",
    )
    .bind(role)
    .bind(created)
    .bind(revoked_reason)
    .bind(created)
    .bind(revoked_reason)
    .bind(workspace)
    .bind(login)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
