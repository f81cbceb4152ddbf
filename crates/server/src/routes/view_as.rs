//! "View as partner" (`/api/view-as`) and how the session was made (`GET /api/session`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use partner_api::ErrorBody;
use partner_api::sso::{SessionInfo, SignInMethod};
use partner_api::view_as::{StartViewAs, VIEW_AS_MINUTES, ViewAs};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, OwnSession, cookie};
use crate::domain::session_token as token;
use crate::error::AppError;
use crate::service::view_as;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_view, end_view))
        .routes(routes!(session_info))
}

/// Starts viewing the caller's team's workspaces as one of its partners sees them: a
/// read-only view (every change answers 403 `view_only`) of the team's workspaces shared
/// with them (one workspace with `workspace`), for an hour, audited. A new view replaces
/// the last.
#[utoipa::path(
    post, path = "/view-as", tag = "session",
    request_body = StartViewAs,
    responses(
        (status = 200, description = "Viewing; sets the view cookie", body = ViewAs),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "not_found: no such workspace, or the person has no access there", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn start_view(
    State(state): State<AppState>,
    own: OwnSession,
    jar: CookieJar,
    ApiJson(body): ApiJson<StartViewAs>,
) -> Result<(CookieJar, Json<ViewAs>), AppError> {
    let (view_token, view) = view_as::start(&state.db, &own.caller, &own.token_hash, &body).await?;
    let cookie = Cookie::build((state.session_cookie.view_name(), view_token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.session_cookie.secure)
        .max_age(time::Duration::minutes(VIEW_AS_MINUTES))
        .build();
    Ok((jar.add(cookie), Json(view)))
}

/// Ends the view: the caller sees as themselves again.
#[utoipa::path(
    delete, path = "/view-as", tag = "session",
    responses((status = 204, description = "Ended (or there was none)"), (status = 401, body = ErrorBody))
)]
async fn end_view(
    State(state): State<AppState>,
    own: OwnSession,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), AppError> {
    state.db.end_views(&own.token_hash).await?;
    // The view's event streams end (the web app opens one as the viewer again).
    crate::live::signed_out(&state.db, own.caller.user_id.as_str()).await;
    let gone = Cookie::build((state.session_cookie.view_name(), ""))
        .path("/")
        .secure(state.session_cookie.secure)
        .build();
    Ok((jar.remove(gone), StatusCode::NO_CONTENT))
}

/// How this session was made, and the view it is in.
#[utoipa::path(
    get, path = "/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody))
)]
async fn session_info(
    State(state): State<AppState>,
    own: OwnSession,
    headers: HeaderMap,
) -> Result<Json<SessionInfo>, AppError> {
    let (method, signed_in_at) = state
        .db
        .session_facts(&own.token_hash)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let view = match cookie(&headers, state.session_cookie.view_name()) {
        Some(view) => state
            .db
            .view(&token::hash(&view), &own.token_hash)
            .await?
            .map(view_as::to_api),
        None => None,
    };
    Ok(Json(SessionInfo {
        method: method.parse().unwrap_or(SignInMethod::Password),
        signed_in_at,
        view_as: view,
    }))
}
