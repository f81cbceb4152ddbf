use std::collections::BTreeMap;

use partner_api::{ErrorBody, ErrorCode};

/// Why an API call failed, in terms a page can explain to a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error body.
    #[error("{message}")]
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
        fields: BTreeMap<String, String>,
        /// Seconds to wait before trying again (the `Retry-After` header of a 429).
        retry_after: Option<u32>,
    },
    /// The request never got an answer (server down, network gone).
    #[error("Can't reach the server. Check your connection and try again.")]
    Network,
    /// The answer was not what this version of the app expects.
    #[error(
        "The server sent an answer this page doesn't understand (HTTP {status}). Reload the page."
    )]
    Unexpected { status: u16 },
}

impl ApiError {
    /// The API error code, when the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Server { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// How many seconds the server asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Builds the error for a non-2xx answer from its status and body text.
    pub fn from_response(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(ErrorBody { error }) => Self::Server {
                status,
                code: error.code,
                message: error.message,
                fields: error.fields,
                retry_after: None,
            },
            // A proxy with no server behind it (trunk serve, a load balancer) answers 502/504.
            Err(_) if matches!(status, 502..=504) => Self::Network,
            Err(_) => Self::Unexpected { status },
        }
    }

    /// Adds the `Retry-After` header's value (delay-seconds; an HTTP date is ignored).
    pub fn with_retry_after(mut self, header: Option<&str>) -> Self {
        if let Self::Server { retry_after, .. } = &mut self {
            *retry_after = header.and_then(|value| value.trim().parse().ok());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_become_server_errors() {
        let error = ApiError::from_response(
            409,
            r#"{"error":{"code":"no_editor_seat","message":"All seats are in use."}}"#,
        );
        assert_eq!(error.code(), Some(ErrorCode::NoEditorSeat));
        assert_eq!(error.to_string(), "All seats are in use.");
    }

    #[test]
    fn rate_limits_keep_the_delay_the_server_asked_for() {
        let body = r#"{"error":{"code":"rate_limited","message":"Slow down."}}"#;
        let error = ApiError::from_response(429, body).with_retry_after(Some("30"));
        assert_eq!(error.code(), Some(ErrorCode::RateLimited));
        assert_eq!(error.retry_after(), Some(30));
        let dated = ApiError::from_response(429, body)
            .with_retry_after(Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(dated.retry_after(), None);
        assert_eq!(
            ApiError::Network.with_retry_after(Some("5")),
            ApiError::Network
        );
    }

    #[test]
    fn a_proxy_without_a_server_means_the_network() {
        assert_eq!(
            ApiError::from_response(502, "Bad Gateway"),
            ApiError::Network
        );
        assert_eq!(
            ApiError::from_response(500, "<html>"),
            ApiError::Unexpected { status: 500 }
        );
    }
}
