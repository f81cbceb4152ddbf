//! The HTTP contract between the Partner Workspaces web app and its server.
//!
//! Everything here is plain serde data: no Leptos, no axum. Paths and shapes follow
//! `shared/API.md`; both sides compile against these types so they cannot drift apart.

pub mod access_requests;
pub mod audit;
pub mod email;
pub mod error;
pub mod events;
pub mod expiry;
pub mod external_access;
pub mod health;
pub mod ids;
pub mod mailbox;
pub mod migration;
mod names;
pub mod pagination;
pub mod partnerships;
pub mod reviews;
pub mod roles;
pub mod session;
pub mod sso;
pub mod team;
pub mod view_as;
pub mod workspaces;

pub use email::Email;
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use health::Health;
pub use ids::{AccessRequestId, InvitationId, ReviewId, TeamId, UserId, WorkspaceId};
pub use pagination::{PageRequest, Paginated};
pub use roles::{PartnerRole, Plan, TeamRole, WorkspaceRole, YourRole};
pub use session::{ChangePassword, Me, SignIn};
pub use workspaces::WorkspaceTab;

/// The header every mutating request must carry (the CSRF guard of the API).
pub const CSRF_HEADER: &str = "x-requested-with";
/// The value of [`CSRF_HEADER`].
pub const CSRF_VALUE: &str = "partner-workspaces";
