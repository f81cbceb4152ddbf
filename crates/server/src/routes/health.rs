//! `GET /api/health`: 200 with the schema version when the database answers.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use partner_api::Health;

use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

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
    }))
}
