//! Access that expires: how long a new partner grant lasts, and extending it.

use serde::{Deserialize, Serialize};

use crate::roles::wire_enum;

wire_enum!(
    /// A length of partner access (a team's default for new grants, or one grant's).
    AccessPeriod {
        Never => "never" / "No end",
        Days7 => "days7" / "7 days",
        Days30 => "days30" / "30 days",
        Days90 => "days90" / "90 days",
    }
);

impl AccessPeriod {
    /// The number of days, `None` for no end.
    pub fn days(self) -> Option<u32> {
        match self {
            Self::Never => None,
            Self::Days7 => Some(7),
            Self::Days30 => Some(30),
            Self::Days90 => Some(90),
        }
    }
}

/// When a grant given by an invitation, an approval or an extension ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessEnd {
    /// The publisher team's default ([`crate::team::TeamSettings::default_access`]).
    TeamDefault,
    /// This long from now (`"never"`: no end).
    Period(AccessPeriod),
    /// At the end of this day (YYYY-MM-DD, UTC), which must be after today.
    On(String),
}

/// How many days before a grant ends its partner and the publisher's Partner Managers
/// are reminded.
pub const REMINDER_DAYS: u32 = 5;

/// `POST /api/workspaces/{id}/partners/{user_id}/extend`. Without `ends`, the grant is
/// extended by the team's default period (30 days when the team has none) from its end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendAccess {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<AccessEnd>,
}

/// The answer of an extension: the grant's new end (`None`: no end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessExtended {
    pub ends_at: Option<String>,
}

/// `POST /api/access-requests/{id}/approve` body (optional): when the access ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Approve {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<AccessEnd>,
}
