//! The migration of legacy partner workspaces (Team Admins run it; Partner Managers see it).

use axum::Json;
use axum::extract::State;
use partner_api::ErrorBody;
use partner_api::migration::{MigrationOverview, MigrationPlan, RunMigration};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::ApiJson;
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::jobs;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_migration, run_migration))
}

/// The caller's team's legacy partner workspaces: state (legacy, scheduled, migrated) and
/// the date they migrate by plan.
#[utoipa::path(
    get, path = "/migration", tag = "migration",
    responses(
        (status = 200, body = MigrationOverview),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    )
)]
async fn get_migration(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<MigrationOverview>, AppError> {
    let team = authz::require_migration_viewer(&caller)?;
    let can_run = authz::can_run_migration(&caller);
    Ok(Json(
        state.db.migration_overview(team.as_str(), can_run).await?,
    ))
}

/// `{"dry_run":true}`: the plan — which workspaces migrate, who gets which email.
/// `{"dry_run":false}`: migrate now. Idempotent: once everything has migrated, another
/// run migrates nothing and sends nothing. Team Admins only.
#[utoipa::path(
    post, path = "/migration", tag = "migration",
    request_body = RunMigration,
    responses(
        (status = 200, body = MigrationPlan),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn run_migration(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RunMigration>,
) -> Result<Json<MigrationPlan>, AppError> {
    let team = authz::require_migration_runner(&caller)?;
    let plan = if body.dry_run {
        state
            .db
            .migration_dry_run(team.as_str(), &state.links)
            .await?
    } else {
        jobs::migrate_now(&state, team.as_str(), caller.user_id.as_str()).await?
    };
    Ok(Json(plan))
}
