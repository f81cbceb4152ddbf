//! Access requests: a person of another team asks to join a partner workspace.

use serde::{Deserialize, Serialize};

use crate::ids::AccessRequestId;
use crate::partnerships::{TeamRef, WorkspaceRef};
use crate::roles::{PartnerRole, wire_enum};
use crate::session::UserRef;

/// Longest message accepted with a request.
pub const MAX_MESSAGE_LEN: usize = 1000;

wire_enum!(
    /// Where a request stands.
    AccessRequestStatus {
        Pending => "pending" / "Pending",
        Approved => "approved" / "Approved",
        Denied => "denied" / "Denied",
        /// The requester left their team before anyone decided.
        Dropped => "dropped" / "Dropped",
    }
);

/// `GET /api/access-requests` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AccessRequestsQuery {
    /// Defaults to `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<AccessRequestStatus>, inline))]
    pub status: Option<AccessRequestStatus>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// One request, as the publisher's Partner Managers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    pub id: AccessRequestId,
    pub user: UserRef,
    /// The requester's team (`null` if they have since left it).
    pub team: Option<TeamRef>,
    pub workspace: WorkspaceRef,
    pub role: PartnerRole,
    pub message: String,
    pub status: AccessRequestStatus,
    pub created_at: String,
}

/// `POST /api/workspaces/{id}/access-requests`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccessRequest {
    /// Defaults to Viewer.
    #[serde(default)]
    pub role: Option<PartnerRole>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The requester's own view of their request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyAccessRequest {
    pub id: AccessRequestId,
    pub role: PartnerRole,
    pub status: AccessRequestStatus,
    pub created_at: String,
}

/// `POST /api/access-requests/{id}/approve|deny`: the request after the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessDecision {
    pub request: AccessRequest,
}
