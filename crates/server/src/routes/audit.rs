//! Team Settings > Audit log (`/team/audit-log`): the caller's team's entries, their
//! filters' choices, and the CSV export (Team Admins and Partner Managers).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use partner_api::ErrorBody;
use partner_api::audit::{AuditFilter, AuditFilterChoices, AuditPage, AuditQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::ApiQuery;
use crate::domain::authz::Caller;
use crate::error::AppError;
use crate::service::audit;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audit_log))
        .routes(routes!(audit_log_filters))
        .routes(routes!(audit_log_csv))
}

/// One page of the team's audit log, newest first; `next` continues it (keyset, so a
/// page costs the same at any depth). Filters: actor, workspace, other team, action, days.
#[utoipa::path(
    get, path = "/team/audit-log", tag = "team",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    Ok(Json(audit::page(&state.db, &caller, &query).await?))
}

/// The choices of the audit log's filters: the team's people and workspaces, and the
/// other teams it shares workspaces with (at most 500 each, by name).
#[utoipa::path(
    get, path = "/team/audit-log/filters", tag = "team",
    responses(
        (status = 200, body = AuditFilterChoices),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    )
)]
async fn audit_log_filters(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<AuditFilterChoices>, AppError> {
    Ok(Json(audit::choices(&state.db, &caller).await?))
}

/// Every entry the filters select, newest first, as CSV, streamed. Cells a spreadsheet
/// would run as formulas start with `'`.
#[utoipa::path(
    get, path = "/team/audit-log.csv", tag = "team",
    params(AuditFilter),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn audit_log_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<impl IntoResponse, AppError> {
    let body = Body::from_stream(audit::csv(&state.db, &caller, &filter)?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    ))
}
