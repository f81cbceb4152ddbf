//! Workspaces: the tabs of `/workspaces` and the shapes of the workspace endpoints.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access_requests::MyAccessRequest;
use crate::ids::WorkspaceId;
use crate::partnerships::TeamRef;
use crate::roles::{PartnerRole, WorkspaceRole, YourRole, wire_enum};
use crate::session::UserRef;

/// A tab of Workspaces > View All Workspaces (`?tab=` in both the web app and the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceTab {
    /// Every workspace of the caller's own team.
    #[default]
    All,
    /// The caller's own team's workspaces they are a member of.
    Mine,
    /// Workspaces of other teams shared with the caller ("External Workspaces").
    SharedPartner,
}

impl WorkspaceTab {
    /// Every tab, in display order.
    pub const ALL: [Self; 3] = [Self::All, Self::Mine, Self::SharedPartner];

    /// The value used in `?tab=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Mine => "mine",
            Self::SharedPartner => "shared_partner",
        }
    }

    /// The tab's label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Mine => "My workspaces",
            Self::SharedPartner => "External Workspaces",
        }
    }

    /// Reads `?tab=`; anything unknown or missing falls back to [`WorkspaceTab::All`].
    pub fn from_query(value: Option<&str>) -> Self {
        value.and_then(|v| v.parse().ok()).unwrap_or_default()
    }
}

impl FromStr for WorkspaceTab {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|tab| tab.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for WorkspaceTab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

crate::names::name_type!(
    /// A workspace name: trimmed, 1 to 100 characters, no control characters.
    WorkspaceName,
    "Give the workspace a name."
);

/// A workspace summary: trimmed, at most 500 characters (may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkspaceSummary(String);

impl WorkspaceSummary {
    /// Longest summary accepted, in characters.
    pub const MAX_CHARS: usize = 500;

    /// Checks a summary; the error is a sentence for people.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let summary = input.trim();
        if summary.chars().count() > Self::MAX_CHARS {
            Err("Use at most 500 characters.")
        } else {
            Ok(Self(summary.to_owned()))
        }
    }

    /// The summary.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WorkspaceSummary {
    type Error = &'static str;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WorkspaceSummary> for String {
    fn from(summary: WorkspaceSummary) -> Self {
        summary.0
    }
}

/// `GET /api/workspaces` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct WorkspacesQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<WorkspaceTab>, inline))]
    pub tab: Option<WorkspaceTab>,
    /// Search workspace (and, on External Workspaces, publisher) names.
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

wire_enum!(
    /// Who a workspace is for.
    Visibility {
        Internal => "internal" / "Internal",
        Partner => "partner" / "Partner",
    }
);

wire_enum!(
    /// Where a legacy partner workspace stands in its move to the team-to-team model.
    MigrationState {
        Legacy => "legacy" / "Legacy",
        Scheduled => "scheduled" / "Scheduled",
        Migrated => "migrated" / "Migrated",
    }
);

/// The publishing team of a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publisher {
    pub id: crate::ids::TeamId,
    pub name: String,
}

/// What the caller may do in a workspace (decided by the server; the app only mirrors it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspacePermissions {
    /// Change name, summary and multi-partner mode.
    pub manage_settings: bool,
    /// Invite partners, change their role, remove them.
    pub manage_partners: bool,
    /// Partner Lead: invite and remove partners of the caller's own team only.
    #[serde(default)]
    pub lead_own_team: bool,
}

/// A workspace, as `GET /api/workspaces/{id}` and the lists return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub summary: String,
    pub publisher: Publisher,
    pub visibility: Visibility,
    pub multi_partner_mode: bool,
    /// Created as a legacy partner workspace (before May 2025). Stays `true` after the
    /// migration: `migration_state` says where it stands.
    pub legacy: bool,
    /// `null` for workspaces that were never legacy; otherwise `legacy` (no date set),
    /// `scheduled` (migrates on the plan's date) or `migrated`.
    pub migration_state: Option<MigrationState>,
    pub your_role: YourRole,
    pub permissions: WorkspacePermissions,
    /// The publisher requires the caller's team to sign in with SSO and this session was
    /// made with a password: only the name and publisher are given (the summary is empty)
    /// until they sign in with SSO. Absent otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sso_required: bool,
}

/// A publisher member in a workspace's member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublisherMember {
    pub user: UserRef,
    pub role: WorkspaceRole,
}

/// A partner in a workspace's member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerMember {
    pub user: UserRef,
    pub team: TeamRef,
    pub sso_enforced: bool,
    pub role: PartnerRole,
    /// Partner Lead: invites and removes colleagues of their own team here.
    #[serde(default)]
    pub lead: bool,
    /// Who gave them access (shown to the publisher, and to a Partner Lead for their team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<UserRef>,
    /// When the access ends (`None`: no end).
    #[serde(default)]
    pub ends_at: Option<String>,
}

/// How many people each list of `GET /api/workspaces/{id}/members` holds at most; the
/// totals say how many more there are (a search finds them).
pub const MEMBERS_LISTED: usize = 200;

/// `GET /api/workspaces/{id}/members` — in multi-partner mode a partner sees the
/// publisher's members and their own team's partners only. Each list holds at most
/// [`MEMBERS_LISTED`] people (publisher members by name; partners by team, then name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Members {
    pub publisher_members: Vec<PublisherMember>,
    /// All publisher members that match, listed or not.
    pub publisher_members_total: u32,
    pub partners: Vec<PartnerMember>,
    /// All partners the caller may see that match, listed or not.
    pub partners_total: u32,
}

impl Members {
    /// Publisher members and partners that match but are not listed.
    pub fn unlisted(&self) -> (u32, u32) {
        (
            self.publisher_members_total
                .saturating_sub(self.publisher_members.len() as u32),
            self.partners_total
                .saturating_sub(self.partners.len() as u32),
        )
    }
}

/// `GET /api/workspaces/{id}/members` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MembersQuery {
    /// Only people whose name or email contains this (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

/// `PATCH /api/workspaces/{id}/settings`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_partner_mode: Option<bool>,
    /// 1 to 100 characters once trimmed, no control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: Option<String>,
    /// At most 500 characters once trimmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `internal` converts a partner workspace to internal, removing every partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub visibility: Option<Visibility>,
}

/// A partner whose role a change of settings changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleChange {
    pub user: UserRef,
    pub team: TeamRef,
    pub from: PartnerRole,
    pub to: PartnerRole,
}

/// The answer to `PATCH /api/workspaces/{id}/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsChanged {
    pub workspace: Workspace,
    /// Partner Editors that became Viewers when multi-partner mode was turned on.
    pub role_changes: Vec<RoleChange>,
    /// Partners removed because the workspace became internal.
    pub partners_removed: u32,
}

/// `POST /api/workspaces/{id}/partners`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitePartner {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub email: String,
    pub role: PartnerRole,
    /// When the access ends; the team's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<crate::expiry::AccessEnd>,
}

/// `PUT /api/workspaces/{id}/partners/{user_id}/lead`: make a partner Partner Lead of the
/// workspace, or not (the publisher's Workspace Admins, Team Admins, Partner Managers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPartnerLead {
    pub lead: bool,
}

/// `PATCH /api/workspaces/{id}/partners/{user_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePartnerRole {
    pub role: PartnerRole,
}

wire_enum!(
    /// The caller's relation to a workspace, for the page an email link opens.
    AccessStatus {
        /// A member of the publisher team.
        Member => "member" / "Member",
        /// A partner with access.
        Partner => "partner" / "Partner",
        /// No access (a request may be pending).
        NoAccess => "no_access" / "No access",
        /// Access ended because the partner left the team it belonged to.
        Ended => "ended" / "Access ended",
        /// The partner's access reached its end date (`MyAccess::ended_at`).
        Expired => "expired" / "Access expired",
        /// The publisher requires the partner's team to sign in with SSO and this session
        /// was made with a password (`MyAccess::sso_required` says who requires it).
        SsoRequired => "sso_required" / "SSO required",
    }
);

/// `GET /api/workspaces/{id}/access`: what the caller has, never the workspace's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAccess {
    pub status: AccessStatus,
    /// The caller's latest access request for this workspace, if any.
    pub request: Option<MyAccessRequest>,
    /// When the caller's access expired (with [`AccessStatus::Expired`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    /// With [`AccessStatus::SsoRequired`]: who requires SSO of whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_required: Option<crate::sso::SsoRequiredBy>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_summaries_are_checked_on_both_sides() {
        assert_eq!(
            WorkspaceName::parse("  Payments API ").unwrap().as_str(),
            "Payments API"
        );
        assert!(WorkspaceName::parse("   ").is_err());
        assert!(WorkspaceName::parse(&"x".repeat(101)).is_err());
        assert!(WorkspaceName::parse("tab\there").is_err());
        assert!(WorkspaceName::parse("<b>bold</b> names are text").is_ok());
        assert!(WorkspaceSummary::parse("").is_ok());
        assert!(WorkspaceSummary::parse(&"x".repeat(501)).is_err());
    }

    #[test]
    fn tabs_round_trip_and_junk_falls_back_to_all() {
        for tab in WorkspaceTab::ALL {
            assert_eq!(WorkspaceTab::from_query(Some(tab.as_str())), tab);
        }
        assert_eq!(
            WorkspaceTab::from_query(Some("overview")),
            WorkspaceTab::All
        );
        assert_eq!(WorkspaceTab::from_query(Some("")), WorkspaceTab::All);
        assert_eq!(WorkspaceTab::from_query(None), WorkspaceTab::All);
    }
}
