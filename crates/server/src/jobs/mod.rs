//! Background work of the server: the email worker (access-request digests, then
//! delivery) and the migration scheduler (finishes interrupted runs, retries failed ones,
//! starts due ones). Both stop when the server shuts down; a migration run started by a
//! request runs in its own task.

use std::time::Duration;

use partner_api::migration::{MigrationPlan, MigrationRun, RunKind};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::{Job, Lead, StepError};
use crate::domain::migration;
use crate::email::delivery::{self, Transport};
use crate::service::{access_requests, audit, expiry, migration as migrations, reviews};
use crate::state::AppState;

pub mod handles;
pub use handles::Jobs;
use handles::RunClaim;

/// How often housekeeping runs (expired sessions, decided access requests), and how many
/// rows each of its statements touches (short write locks).
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);
const HOUSEKEEPING_BATCH: u32 = 1000;

/// How long a decided access request stays in the list before it is archived.
pub const DECIDED_REQUESTS_KEPT: time::Duration = time::Duration::days(90);

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
        tokio::spawn(expiry_job(state.clone(), shutdown.clone())),
        tokio::spawn(crate::live::fan_out(state.clone(), shutdown.clone())),
        tokio::spawn(housekeeping(state, shutdown)),
    ]
}

/// Leadership of `job`, kept between passes: taken when no other server has it, given up
/// when its connection is lost. `false` while another server leads.
async fn leading(state: &AppState, job: Job, lead: &mut Option<Lead>) -> bool {
    if let Some(held) = lead {
        if held.holds().await {
            return true;
        }
        tracing::warn!(?job, "lost the lead of a scheduled job");
        *lead = None;
    }
    match state.db.try_lead(job).await {
        Ok(Some(won)) => {
            tracing::info!(?job, "leading a scheduled job");
            *lead = Some(won);
            true
        }
        Ok(None) => false,
        Err(error) => {
            tracing::error!(?job, error = format!("{error:#}"), "could not try to lead");
            false
        }
    }
}

async fn housekeeping(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
    let mut lead = None;
    loop {
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            _ = every.tick() => {}
        }
        if !leading(&state, Job::Housekeeping, &mut lead).await {
            continue;
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
        match prune_changes(&state).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "old live update changes deleted"),
            Err(error) => tracing::error!(error = format!("{error:#}"), "change log prune failed"),
        }
        match audit::apply_retention(&state.db, OffsetDateTime::now_utc(), HOUSEKEEPING_BATCH).await
        {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "audit entries past retention deleted"),
            Err(error) => tracing::error!(error = format!("{error:#}"), "audit retention failed"),
        }
    }
}

/// Applies access reviews that are due, ends partner access that reached its end and writes
/// the reminders before ends, every
/// `--expiry-secs` (so within a minute of an end), on the one server that leads it.
async fn expiry_job(state: AppState, mut shutdown: watch::Receiver<bool>) {
    // The first pass one period after start-up (tests choose their passes' times).
    let period = state.config.expiry_every;
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let mut lead = None;
    loop {
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            _ = every.tick() => {}
        }
        if !leading(&state, Job::Expiry, &mut lead).await {
            continue;
        }
        match reviews::apply_due(&state.db, &state.links, OffsetDateTime::now_utc()).await {
            Ok(0) => {}
            Ok(removed) => {
                tracing::info!(removed, "access reviews applied");
                state.jobs.wake_email_worker();
            }
            Err(error) => tracing::error!(error = format!("{error:#}"), "applying reviews failed"),
        }
        match expiry::pass(&state.db, &state.links, OffsetDateTime::now_utc()).await {
            Ok(report) if report == expiry::ExpiryReport::default() => {}
            Ok(report) => {
                tracing::info!(
                    reminded = report.reminded,
                    expired = report.expired,
                    "expiry pass"
                );
                state.jobs.wake_email_worker();
            }
            Err(error) => tracing::error!(error = format!("{error:#}"), "expiry pass failed"),
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
/// SSO sign-ins never finished go with them.
pub async fn sweep_expired_sessions(state: &AppState) -> Result<u64, sqlx::Error> {
    let sessions = in_batches(|| state.db.delete_expired_sessions(HOUSEKEEPING_BATCH)).await?;
    in_batches(|| state.db.delete_expired_sso_logins(HOUSEKEEPING_BATCH)).await?;
    Ok(sessions)
}

/// How long the change log keeps a change for browsers that reconnect (one away longer
/// is told to read everything again).
pub const CHANGES_KEPT: time::Duration = time::Duration::hours(1);

/// Deletes the changes older than [`CHANGES_KEPT`], a batch per statement.
pub async fn prune_changes(state: &AppState) -> Result<u64, sqlx::Error> {
    let before = crate::db::timestamp(OffsetDateTime::now_utc() - CHANGES_KEPT);
    in_batches(|| state.db.delete_changes_before(&before, HOUSEKEEPING_BATCH)).await
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
    let digests =
        access_requests::write_digests(&state.db, state.config.digest_window, &state.links).await;
    delivery::deliver_due(&state.db, transport).await?;
    digests?;
    Ok(())
}

async fn migration_scheduler(state: AppState, mut shutdown: watch::Receiver<bool>) {
    // The first tick is immediate: a run a crash interrupted is finished at start-up.
    let mut every = tokio::time::interval(state.config.scheduler_every);
    let mut lead = None;
    loop {
        tokio::select! {
            () = stopped(&mut shutdown) => return,
            _ = every.tick() => {}
        }
        if !leading(&state, Job::MigrationScheduler, &mut lead).await {
            continue;
        }
        let start_due = state.config.scheduled_migrations;
        if let Err(error) =
            run_scheduled_migrations(&state, OffsetDateTime::now_utc(), start_due).await
        {
            tracing::error!(error = format!("{error:#}"), "migration scheduler failed");
        }
    }
}

/// What one migration run did in a pass of the scheduler.
#[derive(Debug)]
pub struct RunReport {
    /// The run's id.
    pub run_id: String,
    /// The team whose legacy workspaces it migrates.
    pub team_id: String,
    /// What the run migrated and whom it emailed, or why this attempt stopped.
    pub outcome: Result<MigrationPlan, RunFailure>,
}

/// An attempt of a run that stopped on an error.
#[derive(Debug, Clone)]
pub struct RunFailure {
    /// What happened, in words for people (as the run shows it).
    pub message: String,
    /// When it is tried again (RFC 3339); `None` if even that could not be recorded.
    pub next_attempt_at: Option<String>,
}

/// One pass of the scheduler at `now`: carries on every unfinished run whose next attempt
/// is due (interrupted by a crash, or failed and waiting), then, when `start_due`, starts
/// a run for each team whose plan's date is `now`'s day or earlier. Each run is carried
/// out on its own: one that fails is recorded on its run (to be retried with a back-off)
/// and the pass goes on with the other teams. Returns what each run did; an error only
/// when the pass could not even list the runs.
pub async fn run_scheduled_migrations(
    state: &AppState,
    now: OffsetDateTime,
    start_due: bool,
) -> anyhow::Result<Vec<RunReport>> {
    let clock = Clock::from(now);
    let mut reports = Vec::new();
    for (run, team) in state.db.unfinished_migration_runs(now).await? {
        if let Some(report) = attempt(state, &run, &team, clock).await {
            reports.push(report);
        }
    }
    if start_due {
        for team in migrations::teams_due(&state.db, now.date()).await? {
            match state
                .db
                .start_migration_run(&team, RunKind::Scheduled, None)
                .await
            {
                Ok(Some(run)) => {
                    tracing::info!(team, run, "scheduled migration");
                    if let Some(report) = attempt(state, &run, &team, clock).await {
                        reports.push(report);
                    }
                }
                Ok(None) => {}
                // No run to record it on: the next pass tries this team again.
                Err(error) => tracing::error!(
                    team,
                    error = format!("{error:#}"),
                    "could not start a scheduled migration"
                ),
            }
        }
    }
    Ok(reports)
}

/// "Migrate now" and "Retry now": starts the team's run, or resumes its unfinished one at
/// once, and answers without waiting for it: the run goes on in its own task, which the
/// request's end or time-out does not stop. `None` when nothing is left to migrate.
pub async fn migrate_now(
    state: &AppState,
    team_id: &str,
    requested_by: &str,
) -> Result<Option<MigrationRun>, sqlx::Error> {
    let Some(run) = state
        .db
        .start_migration_run(team_id, RunKind::OnDemand, Some(requested_by))
        .await?
    else {
        return Ok(None);
    };
    // Already being carried out here: answer that run, never start a second.
    if let Some(claim) = state.jobs.claim(&run) {
        let clock = Clock::from(OffsetDateTime::now_utc());
        if state
            .db
            .begin_migration_attempt(&run, clock.now(), true)
            .await?
        {
            // The answer is the run as it starts: read before the work begins, which may
            // already have failed (or finished) by the time a later read came.
            let answer = migrations::run(&state.db, &run).await;
            let state = state.clone();
            let team = team_id.to_owned();
            tokio::spawn(async move {
                let report = carry_out(&state, claim, &team, clock).await;
                if let Ok(plan) = &report.outcome {
                    tracing::info!(
                        run = report.run_id,
                        workspaces = plan.workspaces_total,
                        "migration done"
                    );
                }
            });
            return answer;
        }
    }
    migrations::run(&state.db, &run).await
}

/// The time of a pass or a request, moving on from the time it was given: a pass a test
/// runs on a chosen day records its failures on that day's clock.
#[derive(Debug, Clone, Copy)]
struct Clock {
    at: OffsetDateTime,
    since: std::time::Instant,
}

impl From<OffsetDateTime> for Clock {
    fn from(at: OffsetDateTime) -> Self {
        Self {
            at,
            since: std::time::Instant::now(),
        }
    }
}

impl Clock {
    fn now(self) -> OffsetDateTime {
        self.at + self.since.elapsed()
    }
}

/// Attempts one run of the scheduler's pass, unless this process is already carrying it
/// out or its next attempt is not due (`None` then).
async fn attempt(state: &AppState, run: &str, team: &str, clock: Clock) -> Option<RunReport> {
    let claim = state.jobs.claim(run)?;
    match state
        .db
        .begin_migration_attempt(run, clock.now(), false)
        .await
    {
        Ok(true) => Some(carry_out(state, claim, team, clock).await),
        Ok(false) => None,
        Err(error) => {
            let failure = record_failure(state, run, team, &StepError::from(error), clock).await;
            Some(RunReport {
                run_id: run.to_owned(),
                team_id: team.to_owned(),
                outcome: Err(failure),
            })
        }
    }
}

/// Carries a claimed run to its end, or records why this attempt stopped.
async fn carry_out(state: &AppState, claim: RunClaim, team: &str, clock: Clock) -> RunReport {
    let run = claim.run_id.clone();
    let outcome = match execute_run(state, &run).await {
        Ok(plan) => Ok(plan),
        Err(error) => Err(record_failure(state, &run, team, &error, clock).await),
    };
    drop(claim);
    RunReport {
        run_id: run,
        team_id: team.to_owned(),
        outcome,
    }
}

/// Logs the raw error and records the failure on the run, in words for people, with the
/// time of its next attempt.
async fn record_failure(
    state: &AppState,
    run: &str,
    team: &str,
    error: &StepError,
    clock: Clock,
) -> RunFailure {
    let message = migration::failure_message(error.cause(), error.workspace.as_deref());
    let failed_at = clock.now();
    let next = state
        .db
        .record_migration_failure(run, &message, &|failed_attempts| {
            failed_at + migration::retry_delay(failed_attempts)
        })
        .await;
    match &next {
        Ok(next) => tracing::error!(
            run,
            team,
            error = format!("{error:#}"),
            next_attempt_at = next,
            "migration attempt failed; it is retried"
        ),
        Err(record) => tracing::error!(
            run,
            team,
            error = format!("{error:#}"),
            record = format!("{record:#}"),
            "migration attempt failed and could not be recorded; the next pass retries it"
        ),
    }
    RunFailure {
        message,
        next_attempt_at: next.ok(),
    }
}

async fn execute_run(state: &AppState, run_id: &str) -> Result<MigrationPlan, StepError> {
    loop {
        let _turn = state.jobs.migration_turn.lock().await;
        if !state.db.migrate_next_workspace(run_id).await? {
            break;
        }
    }
    let plan = {
        let _turn = state.jobs.migration_turn.lock().await;
        migrations::finish_run(&state.db, run_id, &state.links).await?
    };
    state.jobs.wake_email_worker();
    Ok(plan)
}
