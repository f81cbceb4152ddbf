//! "View as partner": a publisher sees its workspaces exactly as one partner sees them,
//! in a read-only session scoped to the publisher's workspaces.

use serde::{Deserialize, Serialize};

use crate::ids::{UserId, WorkspaceId};
use crate::partnerships::{TeamRef, WorkspaceRef};
use crate::session::UserRef;
use crate::workspaces::Publisher;

/// How long a view lasts before it ends by itself.
pub const VIEW_AS_MINUTES: i64 = 60;

/// `POST /api/view-as`: start viewing as `partner`. With `workspace`, the view is of that
/// workspace (a Workspace Admin may start that one); without, of every workspace of the
/// caller's team shared with the partner (Team Admins and Partner Managers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartViewAs {
    pub partner: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceId>,
}

/// A view in progress (the answer to `POST /api/view-as`, and `SessionInfo::view_as`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewAs {
    /// Who is looking.
    pub viewer: UserRef,
    /// Whose eyes they borrow.
    pub partner: UserRef,
    pub partner_team: TeamRef,
    pub publisher: Publisher,
    /// The one workspace in view, or `null` for all the publisher's workspaces shared with
    /// the partner.
    pub workspace: Option<WorkspaceRef>,
    /// Where the web app goes first: the workspace page or External Workspaces.
    pub start_path: String,
    pub expires_at: String,
}
