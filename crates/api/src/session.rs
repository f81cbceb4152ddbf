//! Signing in and out, and who the caller is.

use serde::{Deserialize, Serialize};

use crate::ids::{TeamId, UserId};
use crate::roles::{Plan, TeamRole};

/// `POST /api/session`. The email is checked as an [`crate::Email`] by the server, but
/// taken as text so a malformed address gets the same answer as a wrong password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// A person, as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// The caller's own team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyTeam {
    pub id: TeamId,
    pub name: String,
    pub plan: Plan,
}

/// `GET /api/me` (also the answer to a successful sign-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserRef,
    /// `null` for someone who belongs to no team (they left or were removed).
    pub team: Option<MyTeam>,
    pub team_role: Option<TeamRole>,
    pub is_partner_manager: bool,
}

impl Me {
    /// Whether Team Settings > Partnerships is open to this person (the server decides;
    /// this mirrors it to choose what to show).
    pub fn can_manage_partnerships(&self) -> bool {
        self.team_role == Some(TeamRole::Admin) || (self.team.is_some() && self.is_partner_manager)
    }
}
