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

    /// Builds the error for a non-2xx answer from its status and body text.
    pub fn from_response(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(ErrorBody { error }) => Self::Server {
                status,
                code: error.code,
                message: error.message,
                fields: error.fields,
            },
            // A proxy with no server behind it (trunk serve, a load balancer) answers 502/504.
            Err(_) if matches!(status, 502..=504) => Self::Network,
            Err(_) => Self::Unexpected { status },
        }
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
