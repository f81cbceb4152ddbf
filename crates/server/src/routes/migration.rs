//! The migration of legacy partner workspaces (Team Admins run it; Partner Managers see it).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use partner_api::ErrorBody;
use partner_api::migration::{
    DRY_RUN_EMAIL_WORKSPACES_LIMIT, DRY_RUN_LIST_LIMIT, MigrationOverview, MigrationPlan,
    MigrationQuery, MigrationRun, RunMigration,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiQuery};
use super::page_request;
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::jobs;
use crate::service::migration;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_migration, run_migration))
}

/// The caller's team's legacy partner workspaces, one page at a time: state (legacy,
/// scheduled, migrated) and the date they migrate by plan; how many are in each state; and
/// the team's current or latest run with its progress (poll it while it is `running`).
#[utoipa::path(
    get, path = "/migration", tag = "migration",
    params(MigrationQuery),
    responses(
        (status = 200, body = MigrationOverview),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn get_migration(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MigrationQuery>,
) -> Result<Json<MigrationOverview>, AppError> {
    let team = authz::require_migration_viewer(&caller)?;
    let page = page_request(query.page, query.per_page)?;
    let can_run = authz::can_run_migration(&caller);
    Ok(Json(
        migration::overview(&state.db, team.as_str(), can_run, page).await?,
    ))
}

/// `{"dry_run":true}`: 200 with the plan — which workspaces migrate, who gets which email
/// (the first 50 of each, with totals). `{"dry_run":false}`: migrate now — 202 with the
/// run, at once; it goes on in the background (follow it with `GET /api/migration`). A
/// team has one run at a time: while one is running, this answers 202 with that run and
/// starts nothing; a failed run is resumed now ("Retry now"). 409 when nothing is left
/// to migrate: nothing is migrated or sent twice. Team Admins only.
#[utoipa::path(
    post, path = "/migration", tag = "migration",
    request_body = RunMigration,
    responses(
        (status = 200, description = "The dry run's plan", body = MigrationPlan),
        (status = 202, description = "The run, started, resumed or already running", body = MigrationRun),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "conflict: nothing is left to migrate", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn run_migration(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RunMigration>,
) -> Result<Response, AppError> {
    let team = authz::require_migration_runner(&caller)?;
    if body.dry_run {
        let plan = migration::dry_run(&state.db, team.as_str(), &state.links)
            .await?
            .capped(DRY_RUN_LIST_LIMIT, DRY_RUN_EMAIL_WORKSPACES_LIMIT);
        return Ok(Json(plan).into_response());
    }
    match jobs::migrate_now(&state, team.as_str(), caller.user_id.as_str()).await? {
        Some(run) => Ok((StatusCode::ACCEPTED, Json(run)).into_response()),
        None => Err(AppError::Conflict(
            "Nothing is left to migrate: every legacy partner workspace of your team has \
             migrated."
                .into(),
        )),
    }
}
