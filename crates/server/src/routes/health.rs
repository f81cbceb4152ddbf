//! `GET /api/health`: 200 with the schema version when the database answers.

use axum::Json;
use axum::extract::State;
use partner_api::{ErrorBody, Health};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// The server is up and its database answers.
#[utoipa::path(
    get, path = "/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, description = "unavailable", body = ErrorBody))
)]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let schema_version = state
        .db
        .schema_version()
        .await
        .map_err(AppError::Unavailable)?;
    Ok(Json(Health {
        status: "ok".into(),
        schema_version,
        version: env!("CARGO_PKG_VERSION").into(),
        demo: state.config.demo,
    }))
}
