//! The migration of legacy partner workspaces: its plan, its runs and their emails.
//!
//! Crash safety: a run is a row (`migration_runs`). Each workspace is migrated in its own
//! transaction that also names the run on the workspace, so no workspace is ever half
//! migrated. When none is left, one transaction writes every email of the run — one per
//! person, listing all the run's workspaces that concern them, with the dedupe key
//! `migration:{run}:{person}` — and marks the run done. A run a crash left `running` is
//! finished by the next start (`jobs`), and emails are only ever written by that last
//! transaction, so nobody gets one twice or a partial list.
//!
//! Errors: an attempt that stops on an error leaves the run unfinished (`running`) with the
//! error, in words for people, and the time of its next attempt recorded on it
//! ([`Db::record_migration_failure`]); whatever it migrated stays migrated, and nobody has
//! been emailed. The next attempt carries on where it stopped, and its last transaction
//! still writes every email of the run, once.

use std::collections::{BTreeMap, BTreeSet};

pub use partner_api::migration::RunKind;
use partner_api::migration::{
    LegacyWorkspace, MigrationCounts, MigrationOverview, MigrationPlan, MigrationRun, PlannedEmail,
    RecipientRole, RunState,
};
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::workspaces::MigrationState;
use partner_api::{PageRequest, Plan, TeamRole};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection};
use time::{Date, OffsetDateTime};

use super::audit::{self, Entry};
use super::workspaces::active_grant;
use super::{Db, new_id, now, outbox, timestamp};
use crate::domain::migration::{self, FailureCause};
use crate::email::templates::{self, Recipient, WorkspaceLink};
use crate::email::{Links, Message};

/// Partner workspaces still on the legacy model (`w` is the workspace); the partial index
/// `workspaces_not_migrated` has the same condition.
const NOT_YET_MIGRATED: &str = "w.legacy = 1 AND w.visibility = 'partner'
     AND (w.migration_state IS NULL OR w.migration_state <> 'migrated')";

/// Teams with legacy workspaces left and no unfinished run, with their plan.
const TEAMS_WITH_LEGACY_LEFT: &str = "SELECT t.id, t.plan FROM teams t
     WHERE t.id IN (SELECT w.team_id FROM workspaces w
                    WHERE w.legacy = 1 AND w.visibility = 'partner'
                      AND (w.migration_state IS NULL OR w.migration_state <> 'migrated'))
       AND NOT EXISTS (SELECT 1 FROM migration_runs r WHERE r.team_id = t.id AND r.state = 'running')
     ORDER BY t.id";

/// A team's legacy partner workspaces (`w`), migrated ones included; bind the team.
const TEAM_LEGACY: &str = "w.team_id = ? AND w.legacy = 1 AND w.visibility = 'partner'";

/// One page of the overview's workspaces; bind the team, LIMIT and OFFSET. The page is
/// chosen first (materialized), so each row's partner count is one index search for the
/// rows shown only, never an aggregate over every legacy workspace of the team.
const OVERVIEW_PAGE: &str = concat!(
    "WITH page AS MATERIALIZED (
         SELECT w.id, w.name, w.migration_state, w.migrated_at FROM workspaces w
         WHERE w.team_id = ? AND w.legacy = 1 AND w.visibility = 'partner'
         ORDER BY w.name COLLATE NOCASE, w.id LIMIT ? OFFSET ?)
     SELECT p.id, p.name, p.migration_state, p.migrated_at,
            (SELECT COUNT(*) FROM partner_grants g WHERE g.workspace_id = p.id AND ",
    active_grant!("g"),
    ") AS partner_count
     FROM page p ORDER BY p.name COLLATE NOCASE, p.id"
);

/// A migration run as the API shows it (`r` is the run); the workspaces left count only
/// while it is unfinished.
const RUN_VIEW: &str =
    "SELECT r.id, r.kind, r.state, r.started_at, r.finished_at, r.failed_attempts,
        r.last_error, r.next_attempt_at, r.people_emailed, r.workspaces_migrated AS migrated,
        CASE WHEN r.state = 'running' THEN
            (SELECT COUNT(*) FROM workspaces w WHERE w.team_id = r.team_id AND w.legacy = 1
               AND w.visibility = 'partner'
               AND (w.migration_state IS NULL OR w.migration_state <> 'migrated'))
        ELSE 0 END AS left_to_migrate
     FROM migration_runs r";

#[derive(FromRow)]
struct RunRow {
    id: String,
    kind: String,
    state: String,
    started_at: String,
    finished_at: Option<String>,
    failed_attempts: i64,
    last_error: Option<String>,
    next_attempt_at: Option<String>,
    people_emailed: Option<i64>,
    migrated: i64,
    left_to_migrate: i64,
}

impl From<RunRow> for MigrationRun {
    fn from(row: RunRow) -> Self {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let state = match (row.state.as_str(), &row.last_error) {
            ("done", _) => RunState::Done,
            (_, Some(_)) => RunState::Failed,
            _ => RunState::Running,
        };
        let failed = state == RunState::Failed;
        Self {
            id: row.id.into(),
            state,
            kind: row.kind.parse().unwrap_or(RunKind::OnDemand),
            started_at: row.started_at,
            finished_at: row.finished_at,
            workspaces_total: count(row.migrated) + count(row.left_to_migrate),
            workspaces_migrated: count(row.migrated),
            people_emailed: row.people_emailed.map(count),
            failed_attempts: u32::try_from(row.failed_attempts).unwrap_or(0),
            error: row.last_error.filter(|_| failed),
            next_attempt_at: row.next_attempt_at.filter(|_| failed),
        }
    }
}

/// A step of a migration run that failed, with the workspace it was migrating if it had
/// got that far.
#[derive(Debug, thiserror::Error)]
#[error("migrating {}: {source}", workspace.as_deref().unwrap_or("a run"))]
pub struct StepError {
    /// The workspace's name.
    pub workspace: Option<String>,
    /// What the database answered (for the log only).
    #[source]
    pub source: sqlx::Error,
}

impl From<sqlx::Error> for StepError {
    fn from(source: sqlx::Error) -> Self {
        Self {
            workspace: None,
            source,
        }
    }
}

impl StepError {
    /// What kind of failure it was, for the words people read.
    pub fn cause(&self) -> FailureCause {
        match &self.source {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                FailureCause::Unavailable
            }
            sqlx::Error::Database(error) => {
                // SQLite's primary result codes SQLITE_BUSY (5) and SQLITE_LOCKED (6),
                // extended codes included (the low byte).
                let primary = error
                    .code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .map(|c| c & 0xff);
                if matches!(primary, Some(5 | 6)) {
                    FailureCause::Unavailable
                } else {
                    FailureCause::Refused
                }
            }
            _ => FailureCause::Other,
        }
    }
}

/// A time as the run's `next_attempt_at` stores and compares it: whole seconds, so the
/// text order is the time order.
fn whole_seconds(at: OffsetDateTime) -> String {
    timestamp(at.replace_nanosecond(0).unwrap_or(at))
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
                    workspaces_total: listed.len() as u64,
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
    /// `GET /api/migration`: one page of the team's legacy partner workspaces (migrated
    /// ones included), how many are in each state, and the team's current or latest run.
    pub async fn migration_overview(
        &self,
        team_id: &str,
        can_run: bool,
        page: PageRequest,
    ) -> Result<MigrationOverview, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let plan: String = sqlx::query_scalar("SELECT plan FROM teams WHERE id = ?")
            .bind(team_id)
            .fetch_one(&mut *conn)
            .await?;
        let plan: Plan = plan.parse().unwrap_or(Plan::Free);
        let scheduled_for = migration::scheduled_date(plan).map(|d| d.to_string());
        let (total, migrated): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN w.migration_state = 'migrated' THEN 1 ELSE 0 END), 0)
             FROM workspaces w WHERE {TEAM_LEGACY}"
        ))
        .bind(team_id)
        .fetch_one(&mut *conn)
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let left = count(total - migrated);
        let counts = match migration::state(true, false, plan) {
            Some(MigrationState::Scheduled) => MigrationCounts {
                scheduled: left,
                ..MigrationCounts::default()
            },
            _ => MigrationCounts {
                legacy: left,
                ..MigrationCounts::default()
            },
        };
        let counts = MigrationCounts {
            migrated: count(migrated),
            ..counts
        };
        let rows: Vec<LegacyRow> = sqlx::query_as(OVERVIEW_PAGE)
            .bind(team_id)
            .bind(i64::from(page.per_page()))
            .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
            .fetch_all(&mut *conn)
            .await?;
        let workspaces = rows
            .into_iter()
            .map(|row| {
                let migrated = row.migration_state.as_deref() == Some("migrated");
                LegacyWorkspace {
                    id: row.id.into(),
                    name: row.name,
                    state: migration::state(true, migrated, plan).unwrap_or(MigrationState::Legacy),
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
        let run: Option<RunRow> = sqlx::query_as(&format!(
            "{RUN_VIEW} WHERE r.team_id = ?
             ORDER BY CASE WHEN r.state = 'running' THEN 0 ELSE 1 END, r.started_at DESC, r.id DESC
             LIMIT 1"
        ))
        .bind(team_id)
        .fetch_optional(&mut *conn)
        .await?;
        Ok(MigrationOverview {
            plan,
            scheduled_for,
            workspaces: page.wrap(workspaces, count(total)),
            counts,
            run: run.map(MigrationRun::from),
            can_run,
        })
    }

    /// One migration run as the API shows it.
    pub async fn migration_run(&self, run_id: &str) -> Result<Option<MigrationRun>, sqlx::Error> {
        let row: Option<RunRow> = sqlx::query_as(&format!("{RUN_VIEW} WHERE r.id = ?"))
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(MigrationRun::from))
    }

    /// What migrating the team now would do: the workspaces, and who gets which email
    /// (every one of them: the caller caps what it shows).
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
        Ok(plan(true, workspaces, emails))
    }

    /// The team's unfinished run (running, or failed and waiting for its next attempt), or
    /// a new one; `None` when nothing is left to migrate.
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
        // The unique index `migration_runs_one_running` refuses a second unfinished run of
        // the team, whoever inserts it.
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

    /// Starts an attempt of an unfinished run: clears its last error and retry time.
    /// Unless `now_anyway` (a Team Admin's "Retry now"), a run whose next attempt is
    /// after `now` is left waiting. `false` when there is nothing to attempt.
    pub async fn begin_migration_attempt(
        &self,
        run_id: &str,
        now: OffsetDateTime,
        now_anyway: bool,
    ) -> Result<bool, sqlx::Error> {
        let begun = sqlx::query(
            "UPDATE migration_runs SET last_error = NULL, next_attempt_at = NULL
             WHERE id = ? AND state = 'running'
               AND (? OR next_attempt_at IS NULL OR next_attempt_at <= ?)",
        )
        .bind(run_id)
        .bind(now_anyway)
        .bind(whole_seconds(now))
        .execute(&self.pool)
        .await?;
        Ok(begun.rows_affected() == 1)
    }

    /// Records that an attempt of a run stopped on an error: `message` (for people), one
    /// more failed attempt, and when to try again, which `retry_at` decides from the
    /// number of failed attempts. Returns that time (RFC 3339).
    pub async fn record_migration_failure(
        &self,
        run_id: &str,
        message: &str,
        retry_at: impl FnOnce(u32) -> OffsetDateTime,
    ) -> Result<String, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let failed: i64 =
            sqlx::query_scalar("SELECT failed_attempts FROM migration_runs WHERE id = ?")
                .bind(run_id)
                .fetch_one(&mut *tx)
                .await?;
        let failed = u32::try_from(failed).unwrap_or(u32::MAX).saturating_add(1);
        let next = whole_seconds(retry_at(failed));
        sqlx::query(
            "UPDATE migration_runs SET failed_attempts = ?, last_error = ?, next_attempt_at = ?
             WHERE id = ? AND state = 'running'",
        )
        .bind(i64::from(failed))
        .bind(message)
        .bind(&next)
        .bind(run_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Migrates one more workspace of a running run, in one transaction; `false` when none
    /// is left (or the run is not running).
    pub async fn migrate_next_workspace(&self, run_id: &str) -> Result<bool, StepError> {
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
        let next: Option<(String, String)> = sqlx::query_as(&format!(
            "SELECT w.id, w.name FROM workspaces w WHERE w.team_id = ? AND {NOT_YET_MIGRATED}
             LIMIT 1"
        ))
        .bind(&team_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((workspace_id, name)) = next else {
            return Ok(false);
        };
        let on_workspace = |source| StepError {
            workspace: Some(name.clone()),
            source,
        };
        sqlx::query(
            "UPDATE workspaces SET migration_state = 'migrated', migrated_at = ?, migration_run_id = ?
             WHERE id = ?",
        )
        .bind(now())
        .bind(run_id)
        .bind(&workspace_id)
        .execute(&mut *tx)
        .await
        .map_err(on_workspace)?;
        sqlx::query(
            "UPDATE migration_runs SET workspaces_migrated = workspaces_migrated + 1 WHERE id = ?",
        )
        .bind(run_id)
        .execute(&mut *tx)
        .await
        .map_err(on_workspace)?;
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
        .await
        .map_err(on_workspace)?;
        tx.commit().await.map_err(on_workspace)?;
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
            sqlx::query(
                "UPDATE migration_runs SET state = 'done', finished_at = ?, people_emailed = ?,
                        last_error = NULL, next_attempt_at = NULL
                 WHERE id = ?",
            )
            .bind(now())
            .bind(i64::try_from(emails.len()).unwrap_or(i64::MAX))
            .bind(run_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(plan(false, workspaces, emails))
    }

    /// Unfinished runs (interrupted by a crash, or failed) whose next attempt is due at
    /// `now`, as (run, team), oldest first.
    pub async fn unfinished_migration_runs(
        &self,
        now: OffsetDateTime,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, team_id FROM migration_runs
             WHERE state = 'running' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
             ORDER BY started_at, id",
        )
        .bind(whole_seconds(now))
        .fetch_all(&self.pool)
        .await
    }

    /// Teams with legacy workspaces left and no unfinished run whose plan's migration date
    /// is `today` or earlier.
    pub async fn teams_due_for_migration(&self, today: Date) -> Result<Vec<String>, sqlx::Error> {
        let teams: Vec<(String, String)> = sqlx::query_as(TEAMS_WITH_LEGACY_LEFT)
            .fetch_all(&self.pool)
            .await?;
        Ok(teams
            .into_iter()
            .filter(|(_, plan)| migration::is_due(plan.parse().unwrap_or(Plan::Free), today))
            .map(|(id, _)| id)
            .collect())
    }
}

/// A plan from its workspaces and emails, with their totals.
fn plan(
    dry_run: bool,
    workspaces: Vec<WorkspaceRef>,
    emails: Vec<PlannedMessage>,
) -> MigrationPlan {
    MigrationPlan {
        dry_run,
        workspaces_total: workspaces.len() as u64,
        workspaces,
        emails_total: emails.len() as u64,
        emails: emails.into_iter().map(|e| e.planned).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plan's lines ("SEARCH g USING …").
    async fn query_plan(db: &Db, sql: &str) -> Vec<String> {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                .bind("team")
                .bind(50)
                .bind(0)
                .fetch_all(db.pool())
                .await
                .unwrap();
        rows.into_iter().map(|(_, _, _, detail)| detail).collect()
    }

    #[tokio::test]
    async fn the_overview_counts_partners_of_the_page_only_by_index() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("plan.db")).await.unwrap();
        db.generate_legacy(300, 2).await.unwrap();
        sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();

        let lines = query_plan(&db, OVERVIEW_PAGE).await;

        let text = lines.join("\n");
        // The page is chosen first; the count runs per row of the page, through the
        // grants' primary key, never a scan of partner_grants.
        assert!(text.contains("MATERIALIZE page"), "{text}");
        assert!(text.contains("SCAN p"), "{text}");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("SEARCH g USING") && l.contains("(workspace_id=?)")),
            "{text}"
        );
        assert!(!text.contains("SCAN g"), "{text}");
    }

    #[tokio::test]
    async fn the_scheduler_reads_only_what_is_left_to_migrate() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("due.db")).await.unwrap();
        db.generate_legacy(300, 1).await.unwrap();
        sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();
        let plan = |sql: String| {
            let db = db.clone();
            async move {
                let rows: Vec<(i64, i64, i64, String)> =
                    sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                        .bind("team")
                        .fetch_all(db.pool())
                        .await
                        .unwrap();
                rows.into_iter()
                    .map(|(_, _, _, detail)| detail)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        };

        let due = plan(TEAMS_WITH_LEGACY_LEFT.to_owned()).await;
        let next = plan(format!(
            "SELECT w.id FROM workspaces w WHERE w.team_id = ? AND {NOT_YET_MIGRATED} LIMIT 1"
        ))
        .await;

        assert!(due.contains("USING INDEX workspaces_not_migrated"), "{due}");
        assert!(
            !due.contains("SCAN w\n") && !due.ends_with("SCAN w"),
            "{due}"
        );
        // Any order will do: each step takes the first workspace left, found by index.
        assert!(
            next.starts_with("SEARCH w USING INDEX") && !next.contains("TEMP B-TREE"),
            "{next}"
        );
    }
}
