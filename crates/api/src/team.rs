//! Team Settings > General and Members: the caller's own team, its people and invitations.

use serde::{Deserialize, Serialize};

use crate::ids::{InvitationId, TeamId};
use crate::partnerships::WorkspaceRef;
use crate::roles::{PartnerRole, Plan, TeamRole, WorkspaceRole};
use crate::session::UserRef;
use crate::workspaces::Publisher;

crate::names::name_type!(
    /// A team name: trimmed, 1 to 100 characters, no control characters (as workspace names).
    TeamName,
    "Give the team a name."
);

/// What the caller may do in Team Settings (decided by the server; the app mirrors it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamPermissions {
    /// Change the name and SSO setting; invite, re-role and remove members; External access.
    pub manage_team: bool,
    /// Team Settings > Partnerships.
    pub manage_partnerships: bool,
    /// Team Settings > Audit log (Team Admins and Partner Managers).
    #[serde(default)]
    pub read_audit_log: bool,
}

/// `GET /api/team`: Team Settings > General, for every member of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamSettings {
    pub id: TeamId,
    pub name: String,
    pub plan: Plan,
    /// The team's verified email domains: addresses there belong to the team.
    pub domains: Vec<String>,
    /// "Require SSO for our people": publishers see it as "SSO enforced" for this team.
    pub sso_enforced: bool,
    pub editor_seats_included: u32,
    pub editor_seats_used: u32,
    pub member_count: u32,
    pub pending_invitations: u32,
    /// How long new partner grants of the team's workspaces last unless the grant says.
    #[serde(default = "default_access")]
    pub default_access: crate::expiry::AccessPeriod,
    /// How many days the audit log keeps an entry (400 to 3650).
    #[serde(default = "default_retention")]
    pub audit_retention_days: u32,
    pub permissions: TeamPermissions,
}

fn default_access() -> crate::expiry::AccessPeriod {
    crate::expiry::AccessPeriod::Never
}

fn default_retention() -> u32 {
    crate::audit::MIN_RETENTION_DAYS
}

/// `PATCH /api/team` (Team Admins): only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    /// 1 to 100 characters once trimmed, no control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_enforced: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_access: Option<crate::expiry::AccessPeriod>,
    /// 400 to 3650.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 400, maximum = 3650))]
    pub audit_retention_days: Option<u32>,
}

/// One person of the team in Team Settings > Members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub user: UserRef,
    pub team_role: TeamRole,
    pub is_partner_manager: bool,
    pub last_sign_in_at: Option<String>,
}

/// `GET /api/team/members` and `GET /api/team/invitations` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TeamMembersQuery {
    /// Only people whose name or email contains this (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// `PATCH /api/team/members/{user_id}` (Team Admins): only the fields given change. The
/// last Team Admin can't be made a member (409 `last_admin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_role: Option<TeamRole>,
    /// Partner Manager: the one way to open Team Settings > Partnerships to a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_partner_manager: Option<bool>,
}

/// A partner grant someone holds in another company's workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldGrant {
    pub publisher: Publisher,
    pub workspace: WorkspaceRef,
    pub role: PartnerRole,
}

/// A workspace role someone holds in their own team's workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldRole {
    pub workspace: WorkspaceRef,
    pub role: WorkspaceRole,
}

/// How many of a list are shown in [`RemovalImpact`]; the totals count them all.
pub const IMPACT_LISTED: usize = 50;

/// `GET /api/team/members/{user_id}/removal`: exactly what removing someone ends, for the
/// confirm dialog (at most [`IMPACT_LISTED`] of each list, with totals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalImpact {
    pub member: TeamMember,
    pub partner_grants: Vec<HeldGrant>,
    pub partner_grants_total: u32,
    pub workspace_roles: Vec<HeldRole>,
    pub workspace_roles_total: u32,
    /// Sessions that end (the person is signed out everywhere).
    pub sessions: u32,
    /// Why the removal would be refused (the last Team Admin), if it would.
    pub blocked: Option<String>,
}

/// `DELETE /api/team/members/{user_id}`: what the removal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRemoved {
    pub partner_grants_ended: u32,
    pub workspace_roles_ended: u32,
    pub sessions_ended: u32,
}

/// A pending invitation to join the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInvitation {
    pub id: InvitationId,
    pub email: String,
    pub team_role: TeamRole,
    pub invited_by: Option<UserRef>,
    pub created_at: String,
    /// When the latest email with its link was written.
    pub sent_at: String,
    pub expires_at: String,
}

/// `POST /api/team/invitations` (Team Admins): an email with a link to join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteMember {
    #[cfg_attr(feature = "openapi", schema(min_length = 3))]
    pub email: String,
    /// Member unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_role: Option<TeamRole>,
}

/// How long a team invitation's link works.
pub const INVITATION_DAYS: i64 = 14;

/// `GET /api/invitations/{token}`: what an invitation link offers (anyone holding it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub team_name: String,
    pub email: String,
    pub team_role: TeamRole,
    pub invited_by_name: Option<String>,
    pub expires_at: String,
    /// An account with this address exists: join by signing in; otherwise sign up.
    pub account_exists: bool,
}

/// `POST /api/invitations/{token}/accept`. Signed in as the invited address: no body
/// fields needed. Without an account: `name` and `password` create it (and sign in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A person's display name: trimmed, 1 to 100 characters, no control characters.
pub fn person_name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("Enter your name.")
    } else if name.chars().count() > 100 {
        Some("Use at most 100 characters.")
    } else if name.chars().any(char::is_control) {
        Some("The name can't contain control characters.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_are_trimmed_and_bounded() {
        assert_eq!(TeamName::parse("  Globex ").unwrap().as_str(), "Globex");
        assert!(TeamName::parse("   ").is_err());
        assert!(TeamName::parse(&"x".repeat(101)).is_err());
        assert!(TeamName::parse("a\u{0}b").is_err());
        assert!(TeamName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn person_names_are_checked_like_team_names() {
        assert_eq!(person_name_problem(" "), Some("Enter your name."));
        assert_eq!(person_name_problem("Nora North"), None);
        assert!(person_name_problem("a\nb").is_some());
    }
}
