//! Team Settings > Partnerships: partner teams, their partners, seats.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::{TeamId, WorkspaceId};
use crate::roles::{PartnerRole, Plan, wire_enum};
use crate::session::UserRef;

wire_enum!(
    /// The SSO filter of the partner teams list.
    SsoFilter {
        Enforced => "enforced" / "SSO enforced",
        NotEnforced => "not_enforced" / "SSO not enforced",
    }
);

/// A sortable column of the partner teams list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartnershipSortKey {
    #[default]
    Name,
    Partners,
    Workspaces,
    LastActive,
}

impl PartnershipSortKey {
    /// Every column, in display order.
    pub const ALL: [Self; 4] = [
        Self::Name,
        Self::Partners,
        Self::Workspaces,
        Self::LastActive,
    ];

    /// The name in `?sort=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Partners => "partners",
            Self::Workspaces => "workspaces",
            Self::LastActive => "last_active",
        }
    }
}

/// `?sort=`: a column, descending when prefixed with `-` (e.g. `-last_active`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PartnershipSort {
    pub key: PartnershipSortKey,
    pub descending: bool,
}

impl FromStr for PartnershipSort {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let key = PartnershipSortKey::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or(())?;
        Ok(Self { key, descending })
    }
}

impl fmt::Display for PartnershipSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(self.key.as_str())
    }
}

impl Serialize for PartnershipSort {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartnershipSort {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|()| {
            serde::de::Error::custom(
                "sort must be name, partners, workspaces or last_active, optionally prefixed with -",
            )
        })
    }
}

/// `GET /api/partnerships` query. Missing values take their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PartnershipsQuery {
    /// Search: part of the team's name or domain, ignoring case (ASCII letters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<SsoFilter>, inline))]
    pub sso: Option<SsoFilter>,
    /// A column, descending when prefixed with `-` (default `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, example = "-last_active",
        pattern = "^-?(name|partners|workspaces|last_active)$"))]
    pub sort: Option<PartnershipSort>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// A team, as shown beside its people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRef {
    pub id: TeamId,
    pub name: String,
    pub domain: String,
}

/// A workspace, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceRef {
    pub id: WorkspaceId,
    pub name: String,
}

/// One row of the partner teams list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerTeamSummary {
    pub team: TeamRef,
    pub sso_enforced: bool,
    /// The caller's team requires this team's people to open its workspaces from an SSO
    /// session.
    #[serde(default)]
    pub sso_required: bool,
    pub partner_count: u32,
    pub workspace_count: u32,
    /// RFC 3339; `null` when none of its partners has signed in yet.
    pub last_active_at: Option<String>,
}

/// A partner's role in one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceGrant {
    pub workspace: WorkspaceRef,
    pub role: PartnerRole,
    /// When the access ends (`None`: no end).
    #[serde(default)]
    pub ends_at: Option<String>,
}

/// How many partners `GET /api/partnerships/{team_id}` lists at most (by name).
pub const DETAIL_PARTNERS_LISTED: usize = 100;
/// How many workspaces it lists at most for each partner, and for the team (by name).
pub const DETAIL_WORKSPACES_LISTED: usize = 25;

/// A person of a partner team, with their access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerPerson {
    pub user: UserRef,
    /// Whether their last sign-in went through their team's SSO.
    pub last_sign_in_sso: bool,
    pub last_sign_in_at: Option<String>,
    /// At most [`DETAIL_WORKSPACES_LISTED`], by name.
    pub workspaces: Vec<WorkspaceGrant>,
    /// All the workspaces they can open, listed or not.
    pub workspaces_total: u32,
}

/// `GET /api/partnerships/{team_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerTeamDetail {
    pub team: TeamRef,
    pub sso_enforced: bool,
    /// The caller's team requires this team's people to open its workspaces from an SSO
    /// session (`PUT /api/partnerships/{team_id}/sso-requirement`).
    #[serde(default)]
    pub sso_required: bool,
    /// The team has an identity provider set up here (without one, requiring SSO keeps
    /// its people out).
    #[serde(default)]
    pub sso_available: bool,
    /// At most [`DETAIL_PARTNERS_LISTED`] of the team's partners that match, by name.
    pub partners: Vec<PartnerPerson>,
    /// All the team's partners that match, listed or not.
    pub partners_total: u32,
    /// At most [`DETAIL_WORKSPACES_LISTED`] of the workspaces shared with the team, by name.
    pub workspaces: Vec<WorkspaceRef>,
    /// All the workspaces shared with the team, listed or not.
    pub workspaces_total: u32,
}

/// `GET /api/partnerships/{team_id}` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PartnerTeamQuery {
    /// Only partners whose name or email contains this (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

/// `DELETE /api/partnerships/{team_id}`: what was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnershipRemoved {
    pub partners_removed: u32,
    pub grants_removed: u32,
}

/// `GET /api/partnerships/sso-coverage`: how much partner access goes through SSO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoCoverage {
    pub partner_teams: u32,
    /// Partner teams whose members must sign in with SSO.
    pub partner_teams_sso_enforced: u32,
    pub partners: u32,
    /// Partners whose last sign-in went through SSO.
    pub partners_last_sign_in_sso: u32,
}

impl SsoCoverage {
    /// The share of partners whose last sign-in used SSO, in whole percent.
    pub fn partner_share_percent(&self) -> u32 {
        (self.partners_last_sign_in_sso * 100 + self.partners / 2)
            .checked_div(self.partners)
            .unwrap_or(0)
    }
}

/// `GET /api/seats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Seats {
    pub plan: Plan,
    pub editor_seats_included: u32,
    pub editor_seats_used: u32,
}

impl Seats {
    /// Whether one more Partner Editor fits.
    pub fn has_free_editor_seat(&self) -> bool {
        self.editor_seats_used < self.editor_seats_included
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_round_trips_with_direction() {
        for text in [
            "name",
            "-name",
            "partners",
            "-workspaces",
            "last_active",
            "-last_active",
        ] {
            assert_eq!(text.parse::<PartnershipSort>().unwrap().to_string(), text);
        }
        assert!("-".parse::<PartnershipSort>().is_err());
        assert!("size".parse::<PartnershipSort>().is_err());
    }
}
