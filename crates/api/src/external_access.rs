//! Team Settings > External access: what a team's people can open in other companies'
//! workspaces, for the team's Team Admins to see, export and end.

use serde::{Deserialize, Serialize};

use crate::ids::{TeamId, UserId, WorkspaceId};
use crate::pagination::Paginated;
use crate::partnerships::WorkspaceRef;
use crate::roles::PartnerRole;
use crate::session::UserRef;
use crate::workspaces::Publisher;

/// One person's access to one workspace of another company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExternalGrant {
    pub publisher: Publisher,
    pub workspace: WorkspaceRef,
    pub person: UserRef,
    pub role: PartnerRole,
    /// The publisher made them Partner Lead of this workspace.
    pub lead: bool,
    pub since: String,
    pub last_opened_at: Option<String>,
    /// When the access ends (`None`: no end).
    #[serde(default)]
    pub ends_at: Option<String>,
}

/// A publisher the team's people have access with, and how many grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublisherCount {
    pub publisher: Publisher,
    pub grants: u32,
}

/// How many publishers `ExternalAccess::publishers` lists at most (by name).
pub const PUBLISHERS_LISTED: usize = 200;

/// `GET /api/team/external-access`: one page of the filtered grants, and the publishers
/// (for the filter: at most [`PUBLISHERS_LISTED`], by name, with `publishers_total`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExternalAccess {
    pub grants: Paginated<ExternalGrant>,
    pub publishers: Vec<PublisherCount>,
    /// Every publisher the team's people have access with, listed or not.
    #[serde(default)]
    pub publishers_total: u32,
}

/// `GET /api/team/external-access` query (the CSV takes the same filters,
/// [`ExternalAccessFilter`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ExternalAccessQuery {
    /// Only rows whose person (name or email) or workspace contains this (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this publisher's workspaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<PartnerRole>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// `GET /api/team/external-access.csv` query: the filters of [`ExternalAccessQuery`]; the
/// CSV holds every row they select.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ExternalAccessFilter {
    /// Only rows whose person (name or email) or workspace contains this (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only this publisher's workspaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<PartnerRole>,
}

impl From<ExternalAccessQuery> for ExternalAccessFilter {
    fn from(query: ExternalAccessQuery) -> Self {
        Self {
            q: query.q,
            publisher: query.publisher,
            role: query.role,
        }
    }
}

impl From<ExternalAccessFilter> for ExternalAccessQuery {
    fn from(filter: ExternalAccessFilter) -> Self {
        Self {
            q: filter.q,
            publisher: filter.publisher,
            role: filter.role,
            page: None,
            per_page: None,
        }
    }
}

/// One grant to end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantKey {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
}

/// `POST /api/team/external-access/end`: either some grants (at most 200) or every grant
/// with one publisher. Each publisher's Partner Managers get one email per call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndAccess {
    Grants(Vec<GrantKey>),
    Publisher(TeamId),
}

/// Most grants one `EndAccess::Grants` may name.
pub const END_ACCESS_MAX: usize = 200;

/// What ending access ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessEnded {
    pub ended: u32,
    /// Publishers told (one email to each of their Partner Managers and Team Admins).
    pub publishers: u32,
}
