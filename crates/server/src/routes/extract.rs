//! Extractors whose rejections use the API's error shape, and the signed-in caller.

use std::collections::BTreeMap;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::authz::Caller;
use crate::domain::session_token;
use crate::error::AppError;
use crate::rate_limit::ClientKey;
use crate::state::AppState;

/// A JSON object body; malformed JSON, a wrong content type or an oversized body become the
/// API's 400/415/413/422 errors. Every body of the API is an object: serde would also
/// read a struct from an array (`[null, null]`), which the API refuses with 422.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(body) = axum::Json::<Value>::from_request(request, state).await?;
        object(body).map(ApiJson)
    }
}

/// A JSON body as `T`, if it is an object without U+0000 that reads as one.
fn object<T: DeserializeOwned>(body: Value) -> Result<T, AppError> {
    if holds_nul(&body) {
        return Err(AppError::Invalid {
            message: NUL_MESSAGE.into(),
            fields: BTreeMap::new(),
        });
    }
    if !body.is_object() {
        return Err(AppError::Invalid {
            message: "The body must be a JSON object.".into(),
            fields: BTreeMap::new(),
        });
    }
    serde_path_to_error::deserialize(body).map_err(|error| AppError::Invalid {
        message: format!("The JSON doesn't match what this endpoint expects: {error}"),
        fields: BTreeMap::new(),
    })
}

/// An optional JSON object body: no body at all (and no content type) is `T::default()`;
/// anything else is read as [`ApiJson`] reads it (`null` included: 422).
pub struct ApiJsonOrDefault<T>(pub T);

impl<T, S> FromRequest<S> for ApiJsonOrDefault<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let empty = !request
            .headers()
            .contains_key(axum::http::header::CONTENT_TYPE)
            && request
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .is_none_or(|length| length == "0");
        if empty {
            return Ok(Self(T::default()));
        }
        let axum::Json(body) = axum::Json::<Value>::from_request(request, state).await?;
        object(body).map(Self)
    }
}

/// Why text with U+0000 is refused: no name, message, address or search holds it, and
/// PostgreSQL can't store it in text.
const NUL_MESSAGE: &str = "Text can't contain the NUL character (U+0000). Remove it and try again.";

/// Whether a string anywhere in `value` (keys included) holds U+0000.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// Whether percent-encoded text holds an encoded U+0000.
fn encodes_nul(text: &str) -> bool {
    text.contains("%00") || text.contains('\0')
}

/// A query string, refused with 422 when it does not parse or holds U+0000.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.uri.query().is_some_and(encodes_nul) {
            return Err(AppError::Invalid {
                message: NUL_MESSAGE.into(),
                fields: BTreeMap::new(),
            });
        }
        let axum::extract::Query(query) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(query))
    }
}

/// Path parameters; a path holding U+0000 names nothing (404).
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if encodes_nul(parts.uri.path()) {
            return Err(AppError::NotFound);
        }
        let axum::extract::Path(path) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Self(path))
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::NotFound
    }
}

/// The session token of a request, if it carries the session cookie of this site.
pub fn session_token(headers: &axum::http::HeaderMap, state: &AppState) -> Option<String> {
    cookie(headers, state.session_cookie.name)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    /// The session's person; in a "view as partner" session, the partner, for reads of
    /// what the partner sees only (everything else: 403 `view_only`).
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers, state).ok_or(AppError::Unauthenticated)?;
        let own = session_token::hash(&token);
        if let Some(view) = cookie(&parts.headers, state.session_cookie.view_name()) {
            let viewed = state
                .db
                .view_caller(&session_token::hash(&view), &own)
                .await?;
            if let Some(row) = viewed {
                let path = parts
                    .extensions
                    .get::<axum::extract::OriginalUri>()
                    .map_or_else(|| parts.uri.path().to_owned(), |uri| uri.path().to_owned());
                crate::domain::view_as::allows(&parts.method, &path)?;
                return Ok(Caller::from(row));
            }
        }
        state
            .db
            .caller(&own)
            .await?
            .map(Caller::from)
            .ok_or(AppError::Unauthenticated)
    }
}

/// The person of the request's own session, never a "view as partner" (starting and ending
/// a view), with the session's token hash.
pub struct OwnSession {
    pub caller: Caller,
    pub token_hash: Vec<u8>,
}

impl FromRequestParts<AppState> for OwnSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers, state).ok_or(AppError::Unauthenticated)?;
        let token_hash = session_token::hash(&token);
        let caller = state
            .db
            .caller(&token_hash)
            .await?
            .map(Caller::from)
            .ok_or(AppError::Unauthenticated)?;
        Ok(Self { caller, token_hash })
    }
}

/// A cookie's value, if the request carries it.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_owned())
}

/// The signed-in person, if any (pages anyone may open that answer differently to them).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(Self(Some(caller))),
            Err(AppError::Unauthenticated) => Ok(Self(None)),
            Err(other) => Err(other),
        }
    }
}

/// The client a request comes from (see `client_ip`): the TCP peer, or what a trusted
/// reverse proxy says.
pub struct Client(pub ClientKey);

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| anyhow::anyhow!("served without the peer's address"))?;
        let ip = state.trusted_proxies.client_ip(peer, &parts.headers);
        Ok(Self(ClientKey::of(ip)))
    }
}
