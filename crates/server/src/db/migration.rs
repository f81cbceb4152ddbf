//! The migration of legacy partner workspaces: its plan, its runs and their emails.
//!
//! Crash safety: a run is a row (`migration_runs`). Each workspace is migrated in its own
//! transaction that also names the run on the workspace, so no workspace is ever half
//! migrated. When none is left, one transaction writes every email of the run — one per
//! person, listing all the run's workspaces that concern them, with the dedupe key
//! `migration:{run}:{person}` — and marks the run done. A run a crash left `running` is
//! finished by the next start (`jobs`), and emails are only ever written by that last
//! transaction, so nobody gets one twice or a partial list.

use std::collections::{BTreeMap, BTreeSet};

use partner_api::migration::{
    LegacyWorkspace, MigrationOverview, MigrationPlan, PlannedEmail, RecipientRole,
};
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::{Plan, TeamRole};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection};
use time::Date;

use super::audit::{self, Entry};
use super::workspaces::active_grant;
use super::{Db, new_id, now, outbox};
use crate::domain::migration;
use crate::email::templates::{self, Recipient, WorkspaceLink};
use crate::email::{Links, Message};

/// Partner workspaces still on the legacy model (`w` is the workspace).
const NOT_YET_MIGRATED: &str = "w.legacy = 1 AND w.visibility = 'partner'
     AND (w.migration_state IS NULL OR w.migration_state <> 'migrated')";

/// Why a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// A Team Admin's "Migrate now".
    OnDemand,
    /// The plan's scheduled date came.
    Scheduled,
}

impl RunKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::OnDemand => "on_demand",
            Self::Scheduled => "scheduled",
        }
    }
}

#[derive(FromRow)]
struct LegacyRow {
    id: String,
    name: String,
    migration_state: Option<String>,
    migrated_at: Option<String>,
    partner_count: i64,
}

/// One email of a migration: who, the API's description of it, and the message itself.
struct PlannedMessage {
    user_id: String,
    planned: PlannedEmail,
    message: Message,
}

/// Everything one person is told about.
struct Addressee {
    name: String,
    email: String,
    roles: BTreeSet<RecipientRole>,
    /// Workspace ids; `None`: every workspace of the run.
    workspaces: Option<BTreeSet<String>>,
}

impl Addressee {
    fn new(name: String, email: String) -> Self {
        Self {
            name,
            email,
            roles: BTreeSet::new(),
            workspaces: Some(BTreeSet::new()),
        }
    }
}

async fn plan_emails(
    conn: &mut SqliteConnection,
    team_id: &str,
    workspaces: &[WorkspaceRef],
    links: &Links,
) -> Result<Vec<PlannedMessage>, sqlx::Error> {
    if workspaces.is_empty() {
        return Ok(Vec::new());
    }
    let publisher: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = ?")
        .bind(team_id)
        .fetch_one(&mut *conn)
        .await?;
    let ids = json!(workspaces.iter().map(|w| w.id.as_str()).collect::<Vec<_>>()).to_string();

    // The publisher's side: Team Admins and Partner Managers hear about every workspace,
    // Workspace Admins about theirs.
    let mut publisher_side: BTreeMap<String, Addressee> = BTreeMap::new();
    let managers: Vec<(String, String, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, name, email, team_role, is_partner_manager FROM users
         WHERE team_id = ? AND (team_role = 'admin' OR is_partner_manager = 1)",
    )
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, name, email, role, manager) in managers {
        let entry = publisher_side
            .entry(id)
            .or_insert_with(|| Addressee::new(name, email));
        if role.as_deref() == Some(TeamRole::Admin.as_str()) {
            entry.roles.insert(RecipientRole::TeamAdmin);
        }
        if manager {
            entry.roles.insert(RecipientRole::PartnerManager);
        }
        entry.workspaces = None;
    }
    let workspace_admins: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT m.workspace_id, u.id, u.name, u.email
         FROM workspace_members m JOIN users u ON u.id = m.user_id
         WHERE m.role = 'admin' AND u.team_id = ?
           AND m.workspace_id IN (SELECT value FROM json_each(?))",
    )
    .bind(team_id)
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for (workspace_id, id, name, email) in workspace_admins {
        let entry = publisher_side
            .entry(id)
            .or_insert_with(|| Addressee::new(name, email));
        entry.roles.insert(RecipientRole::WorkspaceAdmin);
        if let Some(list) = &mut entry.workspaces {
            list.insert(workspace_id);
        }
    }

    // Partners with access now: one email for this publisher, listing their workspaces.
    let mut partners: BTreeMap<String, Addressee> = BTreeMap::new();
    let grants: Vec<(String, String, String, String)> = sqlx::query_as(concat!(
        "SELECT g.workspace_id, u.id, u.name, u.email
         FROM partner_grants g JOIN users u ON u.id = g.user_id
         WHERE g.workspace_id IN (SELECT value FROM json_each(?)) AND ",
        active_grant!("g")
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    for (workspace_id, id, name, email) in grants {
        let entry = partners
            .entry(id)
            .or_insert_with(|| Addressee::new(name, email));
        entry.roles.insert(RecipientRole::Partner);
        if let Some(list) = &mut entry.workspaces {
            list.insert(workspace_id);
        }
    }

    let mut planned = Vec::new();
    for (side, people) in [(false, publisher_side), (true, partners)] {
        let mut people: Vec<(String, Addressee)> = people.into_iter().collect();
        people
            .sort_by(|a, b| (a.1.name.to_lowercase(), &a.0).cmp(&(b.1.name.to_lowercase(), &b.0)));
        for (user_id, person) in people {
            let listed: Vec<&WorkspaceRef> = workspaces
                .iter()
                .filter(|w| {
                    person
                        .workspaces
                        .as_ref()
                        .is_none_or(|ids| ids.contains(w.id.as_str()))
                })
                .collect();
            let workspace_links: Vec<WorkspaceLink<'_>> = listed
                .iter()
                .map(|w| WorkspaceLink {
                    id: w.id.as_str(),
                    name: &w.name,
                })
                .collect();
            let to = Recipient {
                name: &person.name,
                email: &person.email,
            };
            let message = if side {
                templates::partner_workspace_upgraded(links, to, &publisher, &workspace_links)
            } else {
                templates::workspaces_migrated(links, to, &publisher, &workspace_links)
            };
            planned.push(PlannedMessage {
                planned: PlannedEmail {
                    to: UserRef {
                        id: user_id.clone().into(),
                        name: person.name.clone(),
                        email: person.email.clone(),
                    },
                    roles: person.roles.into_iter().collect(),
                    subject: message.subject.clone(),
                    workspaces: listed.into_iter().cloned().collect(),
                },
                user_id,
                message,
            });
        }
    }
    Ok(planned)
}

async fn workspace_refs(
    conn: &mut SqliteConnection,
    filter: &str,
    value: &str,
) -> Result<Vec<WorkspaceRef>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT w.id, w.name FROM workspaces w WHERE {filter} ORDER BY w.name COLLATE NOCASE, w.id"
    ))
    .bind(value)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| WorkspaceRef {
            id: id.into(),
            name,
        })
        .collect())
}

impl Db {
    /// `GET /api/migration`: the team's legacy partner workspaces, migrated ones included.
    pub async fn migration_overview(
        &self,
        team_id: &str,
        can_run: bool,
    ) -> Result<MigrationOverview, sqlx::Error> {
        let plan: String = sqlx::query_scalar("SELECT plan FROM teams WHERE id = ?")
            .bind(team_id)
            .fetch_one(&self.pool)
            .await?;
        let plan: Plan = plan.parse().unwrap_or(Plan::Free);
        let scheduled_for = migration::scheduled_date(plan).map(|d| d.to_string());
        let rows: Vec<LegacyRow> = sqlx::query_as(concat!(
            "SELECT w.id, w.name, w.migration_state, w.migrated_at,
                    (SELECT COUNT(*) FROM partner_grants g WHERE g.workspace_id = w.id AND ",
            active_grant!("g"),
            ") AS partner_count
             FROM workspaces w
             WHERE w.team_id = ? AND w.legacy = 1 AND w.visibility = 'partner'
             ORDER BY w.name COLLATE NOCASE, w.id"
        ))
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?;
        let workspaces = rows
            .into_iter()
            .map(|row| {
                let migrated = row.migration_state.as_deref() == Some("migrated");
                LegacyWorkspace {
                    id: row.id.into(),
                    name: row.name,
                    state: migration::state(true, migrated, plan)
                        .unwrap_or(partner_api::workspaces::MigrationState::Legacy),
                    scheduled_for: if migrated {
                        None
                    } else {
                        scheduled_for.clone()
                    },
                    migrated_at: row.migrated_at,
                    partner_count: u32::try_from(row.partner_count).unwrap_or(0),
                }
            })
            .collect();
        Ok(MigrationOverview {
            plan,
            scheduled_for,
            workspaces,
            can_run,
        })
    }

    /// What migrating the team now would do: the workspaces, and who gets which email.
    pub async fn migration_dry_run(
        &self,
        team_id: &str,
        links: &Links,
    ) -> Result<MigrationPlan, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let workspaces = workspace_refs(
            &mut conn,
            &format!("w.team_id = ? AND {NOT_YET_MIGRATED}"),
            team_id,
        )
        .await?;
        let emails = plan_emails(&mut conn, team_id, &workspaces, links).await?;
        Ok(MigrationPlan {
            dry_run: true,
            workspaces,
            emails: emails.into_iter().map(|e| e.planned).collect(),
        })
    }

    /// The team's unfinished run, or a new one; `None` when nothing is left to migrate.
    pub async fn start_migration_run(
        &self,
        team_id: &str,
        kind: RunKind,
        requested_by: Option<&str>,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let running: Option<String> = sqlx::query_scalar(
            "SELECT id FROM migration_runs WHERE team_id = ? AND state = 'running'",
        )
        .bind(team_id)
        .fetch_optional(&mut *tx)
        .await?;
        if running.is_some() {
            return Ok(running);
        }
        let left: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM workspaces w WHERE w.team_id = ? AND {NOT_YET_MIGRATED}"
        ))
        .bind(team_id)
        .fetch_one(&mut *tx)
        .await?;
        if left == 0 {
            return Ok(None);
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO migration_runs (id, team_id, kind, requested_by, state, started_at)
             VALUES (?, ?, ?, ?, 'running', ?)",
        )
        .bind(&id)
        .bind(team_id)
        .bind(kind.as_str())
        .bind(requested_by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Migrates one more workspace of a running run, in one transaction; `false` when none
    /// is left (or the run is not running).
    pub async fn migrate_next_workspace(&self, run_id: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let run: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT team_id, requested_by FROM migration_runs WHERE id = ? AND state = 'running'",
        )
        .bind(run_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((team_id, requested_by)) = run else {
            return Ok(false);
        };
        let next: Option<String> = sqlx::query_scalar(&format!(
            "SELECT w.id FROM workspaces w WHERE w.team_id = ? AND {NOT_YET_MIGRATED}
             ORDER BY w.rowid LIMIT 1"
        ))
        .bind(&team_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(workspace_id) = next else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE workspaces SET migration_state = 'migrated', migrated_at = ?, migration_run_id = ?
             WHERE id = ?",
        )
        .bind(now())
        .bind(run_id)
        .bind(&workspace_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Entry {
                actor_id: requested_by.as_deref(),
                team_id: &team_id,
                action: "workspace.migrated",
                workspace_id: Some(&workspace_id),
                subject_id: None,
                detail: json!({ "run_id": run_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes the run's emails (one per person) and marks it done, in one transaction.
    /// Returns what the run did; a run that was already finished writes nothing again.
    pub async fn finish_migration_run(
        &self,
        run_id: &str,
        links: &Links,
    ) -> Result<MigrationPlan, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (team_id, state): (String, String) =
            sqlx::query_as("SELECT team_id, state FROM migration_runs WHERE id = ?")
                .bind(run_id)
                .fetch_one(&mut *tx)
                .await?;
        let workspaces = workspace_refs(&mut tx, "w.migration_run_id = ?", run_id).await?;
        let emails = plan_emails(&mut tx, &team_id, &workspaces, links).await?;
        if state == "running" {
            for email in &emails {
                let key = format!("migration:{run_id}:{}", email.user_id);
                outbox::enqueue(&mut tx, &key, &email.message).await?;
            }
            sqlx::query("UPDATE migration_runs SET state = 'done', finished_at = ? WHERE id = ?")
                .bind(now())
                .bind(run_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(MigrationPlan {
            dry_run: false,
            workspaces,
            emails: emails.into_iter().map(|e| e.planned).collect(),
        })
    }

    /// Runs a crash or an error left unfinished.
    pub async fn unfinished_migration_runs(&self) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM migration_runs WHERE state = 'running' ORDER BY rowid")
            .fetch_all(&self.pool)
            .await
    }

    /// Teams with legacy workspaces left whose plan's migration date is `today` or earlier.
    pub async fn teams_due_for_migration(&self, today: Date) -> Result<Vec<String>, sqlx::Error> {
        let teams: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT DISTINCT t.id, t.plan FROM workspaces w JOIN teams t ON t.id = w.team_id
             WHERE {NOT_YET_MIGRATED} ORDER BY t.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(teams
            .into_iter()
            .filter(|(_, plan)| migration::is_due(plan.parse().unwrap_or(Plan::Free), today))
            .map(|(id, _)| id)
            .collect())
    }
}
