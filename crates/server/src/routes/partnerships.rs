//! Team Settings > Partnerships: partner teams and seats (Team Admins, Partner Managers).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use partner_api::partnerships::{
    PartnerTeamDetail, PartnerTeamQuery, PartnerTeamSummary, PartnershipRemoved, PartnershipsQuery,
    Seats, SsoCoverage,
};
use partner_api::{ErrorBody, PageRequest, Paginated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiPath, ApiQuery};
use super::page_request;
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::partnerships_cache::ListKey;
use crate::service::partnerships;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_partnerships))
        .routes(routes!(sso_coverage))
        .routes(routes!(partnership_detail, remove_partnership))
        .routes(routes!(get_seats))
}

/// The caller's team's partner teams: searched, filtered, sorted and paged on the server.
#[utoipa::path(
    get, path = "/partnerships", tag = "partnerships",
    params(PartnershipsQuery),
    responses(
        (status = 200, body = Paginated<PartnerTeamSummary>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn list_partnerships(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PartnershipsQuery>,
) -> Result<Response, AppError> {
    let team = authz::require_partnership_manager(&caller)?;
    let page: PageRequest = page_request(query.page, query.per_page)?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let sort = query.sort.unwrap_or_default();
    let key = ListKey::new(team.as_str(), q, query.sso, sort, page);
    // Read before the page: a page kept at this version is exactly what the query would
    // answer now (see partnerships_cache.rs).
    let version = state.db.partnerships_version(team.as_str()).await?;
    let body = match state.partnerships_cache.get(&key, version) {
        Some(body) => body,
        None => {
            let answer =
                partnerships::list(&state.db, team.as_str(), q, query.sso, sort, page).await?;
            let body = Bytes::from(serde_json::to_vec(&answer).map_err(anyhow::Error::from)?);
            state.partnerships_cache.insert(key, version, body.clone());
            body
        }
    };
    Ok((
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response())
}

/// SSO coverage of the caller's team's partners: teams that enforce SSO, and partners whose
/// last sign-in used it.
#[utoipa::path(
    get, path = "/partnerships/sso-coverage", tag = "partnerships",
    responses((status = 200, body = SsoCoverage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn sso_coverage(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SsoCoverage>, AppError> {
    let team = authz::require_partnership_manager(&caller)?;
    Ok(Json(
        partnerships::sso_coverage(&state.db, team.as_str()).await?,
    ))
}

/// One partner team: its partners and the workspaces shared with it (at most 100 partners,
/// each with at most 25 workspaces, and 25 of the team's workspaces, with the totals; `q`
/// finds other partners). Teams that are not partners of the caller's team answer exactly
/// like unknown ids.
#[utoipa::path(
    get, path = "/partnerships/{team_id}", tag = "partnerships",
    params(("team_id" = String, Path, description = "The partner team's id"), PartnerTeamQuery),
    responses(
        (status = 200, body = PartnerTeamDetail),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid: the query string holds U+0000", body = ErrorBody),
    )
)]
async fn partnership_detail(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(team_id): ApiPath<String>,
    ApiQuery(query): ApiQuery<PartnerTeamQuery>,
) -> Result<Json<PartnerTeamDetail>, AppError> {
    let team = authz::require_partnership_manager(&caller)?;
    partnerships::detail(&state.db, team.as_str(), &team_id, query.q.as_deref())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// Removes the partnership: that team's partners leave every workspace of the caller's team.
#[utoipa::path(
    delete, path = "/partnerships/{team_id}", tag = "partnerships",
    params(("team_id" = String, Path, description = "The partner team's id")),
    responses(
        (status = 200, body = PartnershipRemoved),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn remove_partnership(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(team_id): ApiPath<String>,
) -> Result<Json<PartnershipRemoved>, AppError> {
    let team = authz::require_partnership_manager(&caller)?.clone();
    Ok(Json(
        partnerships::remove(&state.db, &caller, team.as_str(), &team_id).await?,
    ))
}

/// Partner Editor seats of the caller's team: used and included by the plan.
#[utoipa::path(
    get, path = "/seats", tag = "partnerships",
    responses((status = 200, body = Seats), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn get_seats(State(state): State<AppState>, caller: Caller) -> Result<Json<Seats>, AppError> {
    let team = authz::require_team_member(&caller)?;
    Ok(Json(state.db.seats(team.as_str()).await?))
}
