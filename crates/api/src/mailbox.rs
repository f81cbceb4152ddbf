//! The dev mailbox: the email outbox, readable when the server runs in demo/dev mode.

use serde::{Deserialize, Serialize};

/// `GET /api/dev/mailbox` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MailboxQuery {
    /// Only emails to this address (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// One email of the outbox, as it was (or will be) sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxEmail {
    pub id: String,
    pub to: String,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part: every name in it is escaped; render it sandboxed all the same.
    pub html: String,
    /// The email's main link (absolute, built from the server's public URL).
    pub link: Option<String>,
    /// RFC 3339: when the email was written to the outbox.
    pub created_at: String,
    /// RFC 3339: when it was delivered; `null` while it waits for the delivery worker.
    pub sent_at: Option<String>,
}
