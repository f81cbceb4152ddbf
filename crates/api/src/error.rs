use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The body of every 4xx/5xx answer: `{"error":{"code","message","fields"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// For validation errors: field name → why it was refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// Machine-readable error codes of the API. Unknown codes from a newer server
/// deserialize as [`ErrorCode::Other`] so old clients keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthenticated,
    InvalidCredentials,
    Csrf,
    Forbidden,
    /// A partner whose access ended because they left the team it belonged to.
    AccessEnded,
    NotFound,
    MethodNotAllowed,
    Conflict,
    NoEditorSeat,
    EditorNotAllowed,
    /// The invited person is already a partner in this workspace.
    AlreadyPartner,
    /// The invited address can't become a partner (no account, or the publisher's own team).
    NotAllowed,
    /// The change would leave the team without a Team Admin.
    LastAdmin,
    /// A team invitation link that expired, was revoked or was used.
    InvitationInvalid,
    /// The workspace's publisher requires the caller's team to sign in with SSO, and this
    /// session was made with a password.
    SsoRequired,
    /// The caller's team requires SSO: the password form is closed to its people.
    SsoOnly,
    /// A "view as partner" session only reads; this can't be done in it.
    ViewOnly,
    PayloadTooLarge,
    UnsupportedMediaType,
    Invalid,
    RateLimited,
    Internal,
    Unavailable,
    #[serde(other)]
    Other,
}

impl ErrorCode {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Csrf => "csrf",
            Self::Forbidden => "forbidden",
            Self::AccessEnded => "access_ended",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::NoEditorSeat => "no_editor_seat",
            Self::EditorNotAllowed => "editor_not_allowed",
            Self::AlreadyPartner => "already_partner",
            Self::NotAllowed => "not_allowed",
            Self::LastAdmin => "last_admin",
            Self::InvitationInvalid => "invitation_invalid",
            Self::SsoRequired => "sso_required",
            Self::SsoOnly => "sso_only",
            Self::ViewOnly => "view_only",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Invalid => "invalid",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorBody {
    /// An error body without field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: BTreeMap::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_wire_names() {
        for code in [
            ErrorCode::NoEditorSeat,
            ErrorCode::Csrf,
            ErrorCode::AccessEnded,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn unknown_codes_from_a_newer_server_still_parse() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"brand_new","message":"m"}}"#).unwrap();
        assert_eq!(body.error.code, ErrorCode::Other);
        assert!(body.error.fields.is_empty());
    }
}
