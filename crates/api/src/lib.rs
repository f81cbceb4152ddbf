//! The HTTP contract between the Partner Workspaces web app and its server.
//!
//! Everything here is plain serde data: no Leptos, no axum. Paths and shapes follow
//! `shared/API.md`; both sides compile against these types so they cannot drift apart.

pub mod error;
pub mod health;
pub mod workspaces;

pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use health::Health;
pub use workspaces::WorkspaceTab;

/// The header every mutating request must carry (the CSRF guard of the API).
pub const CSRF_HEADER: &str = "x-requested-with";
/// The value of [`CSRF_HEADER`].
pub const CSRF_VALUE: &str = "partner-workspaces";
