//! Extractors whose rejections use the API's error shape, and the signed-in caller.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

use crate::domain::authz::Caller;
use crate::domain::session_token;
use crate::error::AppError;
use crate::state::AppState;

/// A JSON body; malformed JSON, a wrong content type or an oversized body become the
/// API's 400/415/413/422 errors.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// A query string, refused with 422 when it does not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::NotFound
    }
}

/// The session token of a request, if it carries one.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(session_token::COOKIE)
        .map(|c| c.value().to_owned())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
        state
            .db
            .caller(&session_token::hash(&token))
            .await?
            .ok_or(AppError::Unauthenticated)
    }
}
