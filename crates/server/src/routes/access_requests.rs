//! Access requests to the caller's team's workspaces (Team Admins, Partner Managers).

use axum::Json;
use axum::extract::State;
use partner_api::access_requests::{
    AccessDecision, AccessRequest, AccessRequestStatus, AccessRequestsQuery,
};
use partner_api::expiry::{AccessEnd, Approve};
use partner_api::{ErrorBody, Paginated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJsonOrDefault, ApiPath, ApiQuery};
use super::page_request;
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::service::access_requests::{self as requests, Decision};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_access_requests))
        .routes(routes!(approve_access_request))
        .routes(routes!(deny_access_request))
}

/// Requests to the caller's team's workspaces (pending unless `status` says otherwise).
#[utoipa::path(
    get, path = "/access-requests", tag = "access requests",
    params(AccessRequestsQuery),
    responses(
        (status = 200, body = Paginated<AccessRequest>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn list_access_requests(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AccessRequestsQuery>,
) -> Result<Json<Paginated<AccessRequest>>, AppError> {
    let team = authz::require_partnership_manager(&caller)?;
    let page = page_request(query.page, query.per_page)?;
    let status = query.status.unwrap_or(AccessRequestStatus::Pending);
    Ok(Json(
        requests::list(&state.db, team.as_str(), status, page).await?,
    ))
}

async fn decide(
    state: AppState,
    caller: Caller,
    id: String,
    decision: Decision,
    ends: Option<AccessEnd>,
) -> Result<Json<AccessDecision>, AppError> {
    let team = authz::require_partnership_manager(&caller)?.clone();
    let request = requests::decide(
        &state.db,
        &caller,
        team.as_str(),
        &id,
        decision,
        ends.as_ref(),
        &state.links,
    )
    .await?;
    state.jobs.wake_email_worker();
    Ok(Json(AccessDecision { request }))
}

/// Approves a pending request, granting the role asked for (Editor needs a free seat);
/// the partner gets one email with "Go to workspace". The body (optional) says when the
/// access ends; the publisher's default period when absent.
#[utoipa::path(
    post, path = "/access-requests/{id}/approve", tag = "access requests",
    params(("id" = String, Path, description = "The request's id")),
    request_body(content = Option<Approve>, description = "Optional"),
    responses(
        (status = 200, body = AccessDecision),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "conflict, no_editor_seat or editor_not_allowed", body = ErrorBody),
        (status = 422, description = "invalid: an end that is not a later day", body = ErrorBody),
    )
)]
async fn approve_access_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJsonOrDefault(body): ApiJsonOrDefault<Approve>,
) -> Result<Json<AccessDecision>, AppError> {
    decide(state, caller, id, Decision::Approve, body.ends).await
}

/// Denies a pending request.
#[utoipa::path(
    post, path = "/access-requests/{id}/deny", tag = "access requests",
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, body = AccessDecision),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    )
)]
async fn deny_access_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AccessDecision>, AppError> {
    decide(state, caller, id, Decision::Deny, None).await
}
