//! Background work of the server: the email worker (access-request digests, then
//! delivery) and the migration scheduler (finishes interrupted runs, starts due ones).
//! Both stop when the server shuts down.

use std::sync::Arc;
use std::time::Duration;

use partner_api::migration::MigrationPlan;
use time::{Date, OffsetDateTime};
use tokio::sync::{Mutex, Notify, watch};
use tokio::task::JoinHandle;

use crate::db::migration::RunKind;
use crate::email::delivery::{self, Transport};
use crate::state::AppState;

/// How often the scheduler looks for due migrations.
const SCHEDULER_EVERY: Duration = Duration::from_secs(60);

/// How often housekeeping runs (expired sessions, decided access requests), and how many
/// rows each of its statements touches (short write locks).
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);
const HOUSEKEEPING_BATCH: u32 = 1000;

/// How long a decided access request stays in the list before it is archived.
pub const DECIDED_REQUESTS_KEPT: time::Duration = time::Duration::days(90);

/// Handles the request handlers use to reach the background work.
#[derive(Clone, Default)]
pub struct Jobs {
    wake: Arc<Notify>,
    /// One migration runs at a time in this process.
    migrations: Arc<Mutex<()>>,
}

impl Jobs {
    /// Tells the email worker that the outbox has something new.
    pub fn wake_email_worker(&self) {
        self.wake.notify_one();
    }
}

/// Starts the workers; they finish their current pass and stop once `shutdown` turns
/// `true` (or its sender is dropped).
pub fn spawn(
    state: AppState,
    transport: Transport,
    shutdown: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    vec![
        tokio::spawn(email_worker(state.clone(), transport, shutdown.clone())),
        tokio::spawn(migration_scheduler(state.clone(), shutdown.clone())),
        tokio::spawn(housekeeping(state, shutdown)),
    ]
}

async fn housekeeping(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            _ = every.tick() => {}
        }
        // Each chore on its own: one failing doesn't stop the other.
        match sweep_expired_sessions(&state).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "expired sessions deleted"),
            Err(error) => tracing::error!(error = format!("{error:#}"), "session sweep failed"),
        }
        match archive_decided_requests(&state).await {
            Ok(0) => {}
            Ok(moved) => tracing::info!(moved, "decided access requests archived"),
            Err(error) => tracing::error!(error = format!("{error:#}"), "request archive failed"),
        }
    }
}

/// Runs `batch` until it touches fewer rows than a full batch; returns the rows touched.
async fn in_batches<F, Fut>(mut batch: F) -> Result<u64, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<u64, sqlx::Error>>,
{
    let mut total = 0;
    loop {
        let touched = batch().await?;
        total += touched;
        if touched < u64::from(HOUSEKEEPING_BATCH) {
            return Ok(total);
        }
    }
}

/// Deletes every expired session, a batch per statement so no write lock is held long.
pub async fn sweep_expired_sessions(state: &AppState) -> Result<u64, sqlx::Error> {
    in_batches(|| state.db.delete_expired_sessions(HOUSEKEEPING_BATCH)).await
}

/// Moves access requests decided more than [`DECIDED_REQUESTS_KEPT`] ago to the archive,
/// a batch per transaction.
pub async fn archive_decided_requests(state: &AppState) -> Result<u64, sqlx::Error> {
    let before = crate::db::timestamp(OffsetDateTime::now_utc() - DECIDED_REQUESTS_KEPT);
    in_batches(|| {
        state
            .db
            .archive_decided_requests(&before, HOUSEKEEPING_BATCH)
    })
    .await
}

async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // A dropped sender means the server is gone: stop too.
    let _ = shutdown.wait_for(|stop| *stop).await;
}

async fn email_worker(state: AppState, transport: Transport, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(error) = email_pass(&state, &transport).await {
            tracing::error!(error = format!("{error:#}"), "email worker pass failed");
        }
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            () = state.jobs.wake.notified() => {}
            () = tokio::time::sleep(state.config.worker_poll) => {}
        }
    }
}

/// One pass of the email worker: write the digests that are due, then deliver.
pub async fn email_pass(state: &AppState, transport: &Transport) -> anyhow::Result<()> {
    // A team whose digest fails holds back neither the other teams' digests nor delivery.
    let digests = state
        .db
        .write_access_request_digests(state.config.digest_window, &state.links)
        .await;
    delivery::deliver_due(&state.db, transport).await?;
    digests?;
    Ok(())
}

async fn migration_scheduler(state: AppState, mut shutdown: watch::Receiver<bool>) {
    // The first tick is immediate: a run a crash interrupted is finished at start-up.
    let mut every = tokio::time::interval(SCHEDULER_EVERY);
    loop {
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            _ = every.tick() => {}
        }
        let today = OffsetDateTime::now_utc().date();
        let start_due = state.config.scheduled_migrations;
        if let Err(error) = run_scheduled_migrations(&state, today, start_due).await {
            tracing::error!(error = format!("{error:#}"), "migration scheduler failed");
        }
    }
}

/// Finishes every interrupted migration run and, when `start_due`, migrates the teams
/// whose plan's date is `today` or earlier. Returns what each run did.
pub async fn run_scheduled_migrations(
    state: &AppState,
    today: Date,
    start_due: bool,
) -> anyhow::Result<Vec<MigrationPlan>> {
    let _one_at_a_time = state.jobs.migrations.lock().await;
    let mut done = Vec::new();
    for run in state.db.unfinished_migration_runs().await? {
        tracing::info!(run, "finishing an interrupted migration");
        done.push(execute_run(state, &run).await?);
    }
    if start_due {
        for team in state.db.teams_due_for_migration(today).await? {
            if let Some(run) = state
                .db
                .start_migration_run(&team, RunKind::Scheduled, None)
                .await?
            {
                tracing::info!(team, run, "scheduled migration");
                done.push(execute_run(state, &run).await?);
            }
        }
    }
    Ok(done)
}

/// "Migrate now": migrates the team's remaining legacy workspaces (finishing its
/// interrupted run first, if any). The work runs in its own task, so a client that goes
/// away does not stop it half-way.
pub async fn migrate_now(
    state: &AppState,
    team_id: &str,
    requested_by: &str,
) -> anyhow::Result<MigrationPlan> {
    let state = state.clone();
    let team_id = team_id.to_owned();
    let requested_by = requested_by.to_owned();
    tokio::spawn(async move {
        let _one_at_a_time = state.jobs.migrations.lock().await;
        match state
            .db
            .start_migration_run(&team_id, RunKind::OnDemand, Some(&requested_by))
            .await?
        {
            Some(run) => Ok(execute_run(&state, &run).await?),
            None => Ok(MigrationPlan {
                dry_run: false,
                workspaces: Vec::new(),
                emails: Vec::new(),
            }),
        }
    })
    .await?
}

async fn execute_run(state: &AppState, run_id: &str) -> Result<MigrationPlan, sqlx::Error> {
    while state.db.migrate_next_workspace(run_id).await? {}
    let plan = state.db.finish_migration_run(run_id, &state.links).await?;
    state.jobs.wake_email_worker();
    Ok(plan)
}
