//! Single sign-on: `GET /api/sso/discover`, the sign-in's start and callback (browser
//! navigations answered with redirects), a team's provider (`/api/team/sso`), and a
//! publisher's SSO requirement for a partner team.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use partner_api::ErrorBody;
use partner_api::sso::{
    SetSsoProvider, SetSsoRequirement, SsoDiscoverQuery, SsoDiscovery, SsoSettings, SsoStartQuery,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiPath, ApiQuery, cookie, session_token};
use crate::domain::authz::Caller;
use crate::domain::session_token as token;
use crate::error::AppError;
use crate::service::sso::{self, Callback};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(discover))
        .routes(routes!(start))
        .routes(routes!(callback))
        .routes(routes!(get_settings, set_provider, remove_provider))
        .routes(routes!(set_requirement))
}

/// Whether an address's domain signs in through SSO (by domain; never whether an account
/// exists).
#[utoipa::path(
    get, path = "/sso/discover", tag = "session",
    params(SsoDiscoverQuery),
    responses((status = 200, body = SsoDiscovery), (status = 422, body = ErrorBody))
)]
async fn discover(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SsoDiscoverQuery>,
) -> Result<Json<SsoDiscovery>, AppError> {
    Ok(Json(sso::discover(&state.db, &query.email).await?))
}

/// Where a refused sign-in sends the browser: the sign-in page, saying why.
fn to_sign_in(why: partner_api::sso::SsoFailure, email: Option<&str>) -> Redirect {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("sso_error", why.as_str());
    if let Some(email) = email {
        query.append_pair("email", email);
    }
    Redirect::to(&format!("/signin?{}", query.finish()))
}

/// The short-lived cookie binding a sign-in to the browser that started it.
fn sso_cookie(state: &AppState, value: String, minutes: i64) -> Cookie<'static> {
    Cookie::build((state.session_cookie.sso_name(), value))
        .path("/")
        .http_only(true)
        // The provider's redirect back is a top-level navigation from another site.
        .same_site(SameSite::Lax)
        .secure(state.session_cookie.secure)
        .max_age(time::Duration::minutes(minutes))
        .build()
}

/// Starts an SSO sign-in: a browser navigation, answered with a redirect to the team's
/// identity provider (or to the sign-in page saying why not).
#[utoipa::path(
    get, path = "/sso/start", tag = "session",
    params(SsoStartQuery),
    responses(
        (status = 303, description = "To the identity provider, or to /signin?sso_error=…"),
        (status = 422, body = ErrorBody),
    )
)]
async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiQuery(query): ApiQuery<SsoStartQuery>,
) -> Response {
    match sso::start(&state, &query.email, query.return_to.as_deref()).await {
        Ok(started) => (
            jar.add(sso_cookie(&state, started.browser_token, 10)),
            Redirect::to(&started.provider_url),
        )
            .into_response(),
        Err(why) => to_sign_in(why, Some(query.email.trim())).into_response(),
    }
}

/// What the identity provider sends the browser back with.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// The identity provider's redirect back: signs the person in and goes where the sign-in
/// started, or to the sign-in page saying why not.
#[utoipa::path(
    get, path = "/sso/callback", tag = "session",
    params(CallbackQuery),
    responses(
        (status = 303, description = "Signed in (sets the session cookie), or to /signin?sso_error=…"),
        (status = 422, description = "invalid: the query string holds U+0000", body = ErrorBody),
    )
)]
async fn callback(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    ApiQuery(query): ApiQuery<CallbackQuery>,
) -> Result<Response, AppError> {
    let browser = cookie(&headers, state.session_cookie.sso_name());
    let jar = jar.remove(
        Cookie::build((state.session_cookie.sso_name(), ""))
            .path("/")
            .secure(state.session_cookie.secure)
            .build(),
    );
    let finished = sso::finish(
        &state,
        Callback {
            state: query.state.as_deref(),
            code: query.code.as_deref(),
            error: query.error.as_deref(),
            browser_token: browser.as_deref(),
        },
    )
    .await;
    let finished = match finished {
        Ok(finished) => finished,
        Err(refused) => {
            return Ok((jar, to_sign_in(refused.why, refused.email.as_deref())).into_response());
        }
    };
    // Signing in as someone else ends the session this browser had.
    if let Some(previous) = session_token(&headers, &state) {
        state.db.end_session(&token::hash(&previous)).await?;
    }
    let session = token::generate();
    state
        .db
        .start_session(&finished.user_id, &token::hash(&session), "sso")
        .await?;
    Ok((
        jar.add(super::session::session_cookie(&state, session)),
        Redirect::to(&finished.return_to),
    )
        .into_response())
}

/// The team's identity provider (Team Admins).
#[utoipa::path(
    get, path = "/team/sso", tag = "team",
    responses((status = 200, body = SsoSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SsoSettings>, AppError> {
    Ok(Json(sso::settings(&state, &caller).await?))
}

/// Sets up or changes the team's identity provider (Team Admins). The issuer's discovery
/// document is read first; the client secret is stored sealed and never shown again.
#[utoipa::path(
    put, path = "/team/sso", tag = "team",
    request_body = SetSsoProvider,
    responses(
        (status = 200, body = SsoSettings),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "conflict: the server has no secret key to seal the client secret with", body = ErrorBody),
        (status = 422, description = "invalid: `fields.issuer` (not https, a local address, discovery failed), `fields.client_id`, `fields.client_secret` (missing the first time)", body = ErrorBody),
    )
)]
async fn set_provider(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SetSsoProvider>,
) -> Result<Json<SsoSettings>, AppError> {
    Ok(Json(sso::set_provider(&state, &caller, body).await?))
}

/// Removes the team's identity provider (Team Admins): its people sign in with passwords.
#[utoipa::path(
    delete, path = "/team/sso", tag = "team",
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn remove_provider(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, AppError> {
    sso::remove_provider(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Requires (or stops requiring) that a partner team's people open the caller's team's
/// workspaces only from an SSO session (Team Admins and Partner Managers).
#[utoipa::path(
    put, path = "/partnerships/{team_id}/sso-requirement", tag = "partnerships",
    params(("team_id" = String, Path)),
    request_body = SetSsoRequirement,
    responses(
        (status = 204, description = "Set"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "not_found: no workspace of the team is shared with that team", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn set_requirement(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(team_id): ApiPath<String>,
    ApiJson(body): ApiJson<SetSsoRequirement>,
) -> Result<StatusCode, AppError> {
    sso::set_requirement(&state.db, &caller, &team_id, body.required).await?;
    Ok(StatusCode::NO_CONTENT)
}
