//! Live updates: the events of `GET /api/events`, a Server-Sent Events stream per signed-in
//! session.
//!
//! An event says what changed, never the changed data: the page that shows it fetches
//! again what the event touches, through the same GETs (and their permissions) as ever.
//! The server sends each event only to sessions that could read the change with a GET,
//! decided when it is sent.
//!
//! On the wire each event is one SSE message (`data:` the JSON of [`Event`]); events that
//! come from a recorded change carry its number as the SSE `id`, which the browser sends
//! back as `Last-Event-ID` when it reconnects, so what was missed is sent again (or
//! [`Event::Resync`] when that can't be told).

use serde::{Deserialize, Serialize};

use crate::ids::WorkspaceId;

/// The stream's path.
pub const EVENTS_PATH: &str = "/api/events";

/// The header the web app sends with every request: this tab's random id. A change a tab
/// makes is not sent back to that tab's stream (it already shows what it did, and a redraw
/// would throw away what it says about it); the tab's other streams and every other tab
/// still hear it.
pub const TAB_HEADER: &str = "x-tab-id";

/// The query parameter of `GET /api/events` that names the tab the stream is for.
pub const TAB_PARAM: &str = "tab";

/// Whether a tab id is one the server takes: 8 to 64 letters, digits or dashes.
pub fn is_tab_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The query parameter that stands for `Last-Event-ID` when the web app opens a new stream
/// itself (a tab back from the background: `EventSource` can't set that header).
pub const LAST_EVENT_ID_PARAM: &str = "last_event_id";

/// How long the browser waits before reconnecting a dropped stream (the SSE `retry:`).
pub const RECONNECT_MS: u64 = 2_000;

/// One live update, for the session that receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// Something in a workspace the receiver can open changed: read it again.
    WorkspaceChanged {
        workspace: WorkspaceId,
        change: WorkspaceChange,
        /// Who changed it, when the receiver may know: for the publisher's own people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// The receiver's access to a workspace ended (removed, expired, ended by a review or
    /// by their team).
    AccessEnded { workspace: WorkspaceId },
    /// The receiver's list of workspaces changed in a way no single workspace event tells
    /// (a publisher renamed, an SSO requirement): read the list again.
    WorkspacesChanged,
    /// Access requests changed: for the publisher, the requests it handles; for the person
    /// who asked, their own request for `workspace`.
    AccessRequestsChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        workspace: Option<WorkspaceId>,
    },
    /// Team Settings > Partnerships changed (partner teams, seats, SSO requirements).
    PartnershipsChanged,
    /// The receiver's team changed (members, invitations, roles, settings, SSO).
    TeamChanged,
    /// Access reviews of the receiver's team changed.
    ReviewsChanged,
    /// What was missed can't be told: read again everything the page shows.
    Resync,
    /// The session ended (signed out, expired, or its person left the team): the stream
    /// closes after this.
    SessionEnded,
}

/// What changed in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum WorkspaceChange {
    /// Multi-partner mode was turned on or off.
    MultiPartnerMode { on: bool },
    /// Its visibility changed.
    Visibility,
    /// A partner was added, removed, re-roled, extended, made or unmade Partner Lead.
    Partners,
    /// A member of the publisher lost their workspace role.
    Members,
    /// It became a partner workspace.
    Migrated,
}

impl Event {
    /// The workspace the event is about, if one.
    pub fn workspace(&self) -> Option<&WorkspaceId> {
        match self {
            Self::WorkspaceChanged { workspace, .. } | Self::AccessEnded { workspace } => {
                Some(workspace)
            }
            Self::AccessRequestsChanged { workspace } => workspace.as_ref(),
            _ => None,
        }
    }
}

impl WorkspaceChange {
    /// How a page says it, after "Multi-partner mode …" or as a notice.
    pub fn sentence(self) -> &'static str {
        match self {
            Self::MultiPartnerMode { on: true } => "turned on multi-partner mode",
            Self::MultiPartnerMode { on: false } => "turned off multi-partner mode",
            Self::Visibility => "changed the workspace's visibility",
            Self::Partners => "changed the workspace's partners",
            Self::Members => "changed the workspace's members",
            Self::Migrated => "made this a partner workspace",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_by_kind() {
        let event = Event::WorkspaceChanged {
            workspace: WorkspaceId::from("ws_1"),
            change: WorkspaceChange::MultiPartnerMode { on: true },
            by: Some("Wanda Wells".into()),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "workspace_changed",
                "workspace": "ws_1",
                "change": {"what": "multi_partner_mode", "on": true},
                "by": "Wanda Wells"
            })
        );
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
        assert_eq!(
            serde_json::to_value(Event::Resync).unwrap(),
            serde_json::json!({"kind": "resync"})
        );
        assert_eq!(
            serde_json::to_value(Event::AccessRequestsChanged { workspace: None }).unwrap(),
            serde_json::json!({"kind": "access_requests_changed"})
        );
    }
}
