//! `POST/DELETE /api/session`, `GET /api/me`, `PUT /api/me/password`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use partner_api::session::new_password_problem;
use partner_api::{ChangePassword, Email, ErrorBody, Me, SignIn};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Client, session_token};
use crate::db::SESSION_DAYS;
use crate::domain::authz::Caller;
use crate::domain::session_token as token;
use crate::error::AppError;
use crate::service::membership;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Sign in. Unknown email and wrong password get the same answer after the same work.
/// Failures are throttled per (account, client) and per client (`rate_limit`), so
/// someone else's wrong guesses never lock the owner out.
#[utoipa::path(
    post, path = "/session", tag = "session",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; sets the session cookie", body = Me),
        (status = 401, description = "invalid_credentials", body = ErrorBody),
        (status = 403, description = "sso_only: the address's team requires SSO (continue with `GET /api/sso/start`)", body = ErrorBody),
        (status = 422, description = "invalid", body = ErrorBody),
        (status = 429, description = "rate_limited: too many failures from this client, or the server is busy hashing; Retry-After says when to try again", body = ErrorBody),
    )
)]
async fn sign_in(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<(CookieJar, Json<Me>), AppError> {
    let email =
        Email::parse(&body.email).map_err(|e| AppError::invalid_field("email", e.to_string()))?;
    if body.password.is_empty() {
        return Err(AppError::invalid_field("password", "Enter your password."));
    }
    // The password form is closed to people whose team requires SSO (by domain).
    crate::service::sso::refuse_password(&state.db, email.as_str()).await?;
    state.sign_in_limiter.check(email.as_str(), client)?;
    let credentials = state.db.credentials(email.as_str()).await?;
    let (user_id, hash) = match credentials {
        Some(c) => (Some(c.id), c.password_hash),
        None => (None, state.decoy_hash.to_string()),
    };
    let password_matches = state.hash_pool.verify(body.password, hash).await?;
    let user_id = match user_id {
        Some(id) if password_matches => id,
        _ => {
            state.sign_in_limiter.failed(email.as_str(), client);
            return Err(AppError::InvalidCredentials);
        }
    };
    state.sign_in_limiter.succeeded(email.as_str(), client);
    // Signing in as someone else ends the session this browser had.
    if let Some(previous) = session_token(&headers, &state) {
        state.db.end_session(&token::hash(&previous)).await?;
    }
    let session = token::generate();
    state
        .db
        .start_session(&user_id, &token::hash(&session), "password")
        .await?;
    let caller = state
        .db
        .caller(&token::hash(&session))
        .await?
        .map(Caller::from)
        .ok_or_else(|| anyhow::anyhow!("new session not found"))?;
    Ok((
        jar.add(session_cookie(&state, session)),
        Json(membership::me(&state.db, &caller).await?),
    ))
}

/// The session cookie carrying a new session's token.
pub(super) fn session_cookie(state: &AppState, session: String) -> Cookie<'static> {
    Cookie::build((state.session_cookie.name, session))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.session_cookie.secure)
        .max_age(time::Duration::days(SESSION_DAYS))
        .build()
}

/// Sign out: ends this session and clears the cookie.
#[utoipa::path(
    delete, path = "/session", tag = "session",
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "csrf", body = ErrorBody),
    )
)]
async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), AppError> {
    if let Some(session) = session_token(&headers, &state) {
        let hash = token::hash(&session);
        let person = state.db.caller(&hash).await?;
        state.db.end_session(&hash).await?;
        if let Some(person) = person {
            crate::live::signed_out(&state.db, &person.id).await;
        }
    }
    let gone = Cookie::build((state.session_cookie.name, ""))
        .path("/")
        .secure(state.session_cookie.secure)
        .build();
    Ok((jar.remove(gone), StatusCode::NO_CONTENT))
}

/// Who is signed in.
#[utoipa::path(
    get, path = "/me", tag = "session",
    responses(
        (status = 200, body = Me),
        (status = 401, description = "unauthenticated", body = ErrorBody),
    )
)]
async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<Me>, AppError> {
    Ok(Json(membership::me(&state.db, &caller).await?))
}

/// Change password: the current password proves it is the person, and every other session
/// of theirs ends (a stolen or forgotten session must not outlive the old password); this
/// one stays signed in. Wrong current passwords are throttled like failed sign-ins of that
/// account from that client (a stolen session must not become a way to guess it).
#[utoipa::path(
    put, path = "/me/password", tag = "session",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; every other session of this person has ended"),
        (status = 401, description = "unauthenticated", body = ErrorBody),
        (status = 422, description = "invalid: `fields.current_password` when it is empty or \
            not the current password, `fields.new_password` when it has fewer than 12 or more \
            than 256 characters or is the current one", body = ErrorBody),
        (status = 429, description = "rate_limited: too many wrong current passwords from this \
            client, or the server is busy hashing; Retry-After says when to try again", body = ErrorBody),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    caller: Caller,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<StatusCode, AppError> {
    let mut fields = BTreeMap::new();
    if body.current_password.is_empty() {
        fields.insert(
            "current_password".to_owned(),
            "Enter your current password.".to_owned(),
        );
    }
    if let Some(why) = new_password_problem(&body.new_password, &body.current_password) {
        fields.insert("new_password".to_owned(), why.to_owned());
    }
    if let Some(message) = fields.values().next().cloned() {
        return Err(AppError::Invalid { message, fields });
    }
    let session = session_token(&headers, &state).ok_or(AppError::Unauthenticated)?;
    state.sign_in_limiter.check(&caller.email, client)?;
    let old_hash = state
        .db
        .password_hash(caller.user_id.as_str())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let ChangePassword {
        current_password,
        new_password,
    } = body;
    let wrong_password =
        || AppError::invalid_field("current_password", "That isn't your current password.");
    if !state
        .hash_pool
        .verify(current_password, old_hash.clone())
        .await?
    {
        state.sign_in_limiter.failed(&caller.email, client);
        return Err(wrong_password());
    }
    state.sign_in_limiter.succeeded(&caller.email, client);
    let new_hash = state.hash_pool.hash(new_password).await?;
    let changed = state
        .db
        .change_password(
            caller.user_id.as_str(),
            &old_hash,
            &new_hash,
            &token::hash(&session),
        )
        .await?;
    // Changed by another request since it was checked: the password given is no longer
    // the current one.
    if !changed {
        return Err(wrong_password());
    }
    Ok(StatusCode::NO_CONTENT)
}
