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

/// `PUT /api/me/password`: the current password proves it is the person; the new one
/// replaces it and every other session of theirs ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 256))]
    pub new_password: String,
}

/// Fewest characters a new password may have.
pub const PASSWORD_MIN_CHARS: usize = 12;

/// Most characters a new password may have.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// Why `new` can't become the password of someone whose password is `current` (the
/// message is for people), checked the same way by the web app and the server.
pub fn new_password_problem(new: &str, current: &str) -> Option<&'static str> {
    let chars = new.chars().count();
    if chars == 0 {
        Some("Enter a new password.")
    } else if chars < PASSWORD_MIN_CHARS {
        Some("Use at least 12 characters.")
    } else if chars > PASSWORD_MAX_CHARS {
        Some("Use at most 256 characters.")
    } else if new == current {
        Some("Choose a password different from your current one.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_needs_twelve_characters_and_must_differ_from_the_current_one() {
        assert_eq!(new_password_problem("", "x"), Some("Enter a new password."));
        assert!(new_password_problem("eleven-char", "x").is_some());
        assert_eq!(new_password_problem("twelve-chars", "x"), None);
        // Characters, not bytes: twelve accented letters are enough, eleven are not.
        assert_eq!(new_password_problem(&"é".repeat(12), "x"), None);
        assert!(new_password_problem(&"é".repeat(11), "x").is_some());
        assert!(new_password_problem(&"a".repeat(257), "x").is_some());
        assert!(new_password_problem("partner-demo", "partner-demo").is_some());
    }
}
