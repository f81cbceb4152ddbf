//! The one error type of the server. Every 4xx/5xx leaves as
//! `{"error":{"code","message","fields"?}}`; 5xx bodies never carry internals.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use partner_api::{ErrorBody, ErrorCode, ErrorDetail};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("sign in to continue")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("missing CSRF header")]
    Csrf,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("access ended")]
    AccessEnded,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("no free editor seat")]
    NoEditorSeat,
    #[error("editor not allowed in multi-partner mode")]
    EditorNotAllowed,
    #[error("already a partner: {0}")]
    AlreadyPartner(String),
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("last team admin: {0}")]
    LastAdmin(String),
    #[error("invitation invalid")]
    InvitationInvalid,
    /// The publisher requires the caller's team to sign in with SSO (the sentence says who).
    #[error("sso required: {0}")]
    SsoRequired(String),
    /// The caller's team requires SSO: no password sign-in (the sentence names the team).
    #[error("sso only: {0}")]
    SsoOnly(String),
    /// A "view as partner" session tried to change something, or to read outside the view.
    #[error("view only: {0}")]
    ViewOnly(&'static str),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("invalid: {message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, String>,
    },
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    /// Every password hash the server allows at once is running (and the queue is full).
    #[error("busy hashing passwords")]
    Busy { retry_after: Duration },
    /// Live updates: as many streams are open as the session or the server may hold.
    #[error("too many event streams")]
    TooManyStreams(&'static str),
    /// The server is stopping and takes no new event streams.
    #[error("stopping")]
    Stopping,
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The request ran longer than the server allows and was stopped.
    #[error("request timed out")]
    TimedOut,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 for one field.
    pub fn invalid_field(field: &str, why: impl Into<String>) -> Self {
        let why = why.into();
        Self::Invalid {
            message: why.clone(),
            fields: BTreeMap::from([(field.to_owned(), why)]),
        }
    }

    /// The HTTP status this error answers with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Csrf
            | Self::Forbidden(_)
            | Self::AccessEnded
            | Self::SsoRequired(_)
            | Self::SsoOnly(_)
            | Self::ViewOnly(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_)
            | Self::NoEditorSeat
            | Self::EditorNotAllowed
            | Self::AlreadyPartner(_) => StatusCode::CONFLICT,
            Self::NotAllowed(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::LastAdmin(_) => StatusCode::CONFLICT,
            Self::InvitationInvalid => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } | Self::Busy { .. } | Self::TooManyStreams(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::Unavailable(_) | Self::TimedOut | Self::Stopping => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Csrf => ErrorCode::Csrf,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::AccessEnded => ErrorCode::AccessEnded,
            Self::NotFound => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::NoEditorSeat => ErrorCode::NoEditorSeat,
            Self::EditorNotAllowed => ErrorCode::EditorNotAllowed,
            Self::AlreadyPartner(_) => ErrorCode::AlreadyPartner,
            Self::NotAllowed(_) => ErrorCode::NotAllowed,
            Self::LastAdmin(_) => ErrorCode::LastAdmin,
            Self::InvitationInvalid => ErrorCode::InvitationInvalid,
            Self::SsoRequired(_) => ErrorCode::SsoRequired,
            Self::SsoOnly(_) => ErrorCode::SsoOnly,
            Self::ViewOnly(_) => ErrorCode::ViewOnly,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Self::Invalid { .. } => ErrorCode::Invalid,
            Self::RateLimited { .. } | Self::Busy { .. } | Self::TooManyStreams(_) => {
                ErrorCode::RateLimited
            }
            Self::Unavailable(_) | Self::TimedOut | Self::Stopping => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    fn message(&self) -> String {
        match self {
            Self::BadRequest(why) => why.clone(),
            Self::Unauthenticated => "Sign in to continue.".into(),
            Self::InvalidCredentials => "That email and password don't match an account.".into(),
            Self::Csrf => "This request is missing the X-Requested-With header.".into(),
            Self::Forbidden(why) | Self::ViewOnly(why) => (*why).into(),
            Self::SsoRequired(why) | Self::SsoOnly(why) => why.clone(),
            Self::AccessEnded => {
                "Your access to this workspace belonged to your former team and has ended. \
                 Ask the workspace's publisher to invite you from your current team."
                    .into()
            }
            Self::NotFound => "Nothing here — it doesn't exist or isn't shared with you.".into(),
            Self::MethodNotAllowed => "This method isn't supported on this path.".into(),
            Self::Conflict(why)
            | Self::AlreadyPartner(why)
            | Self::NotAllowed(why)
            | Self::LastAdmin(why) => why.clone(),
            Self::InvitationInvalid => "This invitation link has expired, was revoked or has \
                 been used. Ask a Team Admin of the team to send a new one."
                .into(),
            Self::NoEditorSeat => "All Partner Editor seats on this plan are in use. \
                 Invite as a Viewer, or free a seat first."
                .into(),
            Self::EditorNotAllowed => {
                "Partners can only be Viewers while multi-partner mode is on.".into()
            }
            Self::PayloadTooLarge => "The request body is larger than 64 KiB.".into(),
            Self::UnsupportedMediaType => {
                "Send the body as JSON with Content-Type: application/json.".into()
            }
            Self::Invalid { message, .. } => message.clone(),
            Self::RateLimited { retry_after } => format!(
                "Too many failed sign-ins from here. Try again in {}.",
                wait_text(*retry_after)
            ),
            Self::Busy { retry_after } => format!(
                "The server is busy signing other people in. Try again in {}.",
                wait_text(*retry_after)
            ),
            Self::TooManyStreams(why) => (*why).into(),
            Self::Stopping => "The server is restarting. Try again in a moment.".into(),
            Self::Unavailable(_) => "The database isn't answering. Try again shortly.".into(),
            Self::TimedOut => "The server took too long to answer and stopped. \
                 Try again in a moment."
                .into(),
            Self::Internal(_) => "Something went wrong on our side. Try again.".into(),
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> ErrorBody {
        let fields = match self {
            Self::Invalid { fields, .. } => fields.clone(),
            _ => BTreeMap::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(),
                fields,
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Self::RateLimited { retry_after } | Self::Busy { retry_after } = &self {
            let secs = (retry_after.as_secs_f64().ceil() as u64).max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&secs) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// A wait as people say it: "1 second", "40 seconds", "2 minutes" (rounded up).
fn wait_text(wait: Duration) -> String {
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    match secs {
        1 => "1 second".into(),
        2..=90 => format!("{secs} seconds"),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => Self::Unavailable(error),
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Internal(other.into()),
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => Self::Invalid {
                message: format!(
                    "The JSON doesn't match what this endpoint expects: {}",
                    e.body_text()
                ),
                fields: BTreeMap::new(),
            },
            JsonRejection::JsonSyntaxError(_) => {
                Self::BadRequest("The body isn't valid JSON.".into())
            }
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge
            }
            other => Self::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::Invalid {
            message: format!("The query string isn't valid: {}", rejection.body_text()),
            fields: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_never_carry_internals() {
        let error = AppError::Internal(anyhow::anyhow!("secret table xyz is corrupt"));
        let body = serde_json::to_string(&error.body()).unwrap();
        assert!(!body.contains("xyz"), "{body}");
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn waits_are_said_in_whole_seconds_or_minutes_rounded_up() {
        assert_eq!(wait_text(Duration::from_millis(200)), "1 second");
        assert_eq!(wait_text(Duration::from_millis(1500)), "2 seconds");
        assert_eq!(wait_text(Duration::from_secs(60)), "60 seconds");
        assert_eq!(wait_text(Duration::from_secs(91)), "2 minutes");
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let response = AppError::RateLimited {
            retry_after: Duration::from_secs(30),
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "30");
    }
}
