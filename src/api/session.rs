//! `POST /api/session`, `GET /api/session`, `DELETE /api/session`, `GET /api/me` and `PUT /api/me/password`.

use gloo_net::http::Method;
use partner_api::sso::SessionInfo;
use partner_api::{ChangePassword, ErrorCode, Me, SignIn};

use super::{ApiError, client};

/// Signs in; the server sets the session cookie and answers who is now signed in.
pub async fn sign_in(credentials: &SignIn) -> Result<Me, ApiError> {
    client::send(Method::POST, "/api/session", Some(credentials)).await
}

/// Signs out (204). A session that had already ended counts as signed out.
pub async fn sign_out() -> Result<(), ApiError> {
    match client::send::<(), ()>(Method::DELETE, "/api/session", None).await {
        Err(error) if error.code() == Some(ErrorCode::Unauthenticated) => Ok(()),
        answer => answer,
    }
}

/// Who is signed in: `Ok(None)` when no one is (401 `unauthenticated`).
pub async fn me() -> Result<Option<Me>, ApiError> {
    match client::get("/api/me").await {
        Ok(me) => Ok(Some(me)),
        Err(error) if error.code() == Some(ErrorCode::Unauthenticated) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Changes the signed-in person's password (204); the server ends their other sessions.
pub async fn change_password(change: &ChangePassword) -> Result<(), ApiError> {
    client::send(Method::PUT, "/api/me/password", Some(change)).await
}

/// How this session was made and the "view as partner" it is in: `Ok(None)` when no one is
/// signed in (401 `unauthenticated`).
pub async fn info() -> Result<Option<SessionInfo>, ApiError> {
    match client::get("/api/session").await {
        Ok(info) => Ok(Some(info)),
        Err(error) if error.code() == Some(ErrorCode::Unauthenticated) => Ok(None),
        Err(error) => Err(error),
    }
}
