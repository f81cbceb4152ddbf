//! The typed HTTP client: the only place in the web app that knows URLs and HTTP.
//! One file per resource; every call returns `Result<T, ApiError>`.

mod client;
pub mod early;
mod error;
pub mod health;
pub mod invitations;
mod path;
pub mod session;
pub mod workspaces;

pub use error::ApiError;
pub mod access_requests;
pub mod audit;
pub mod events;
pub mod external_access;
pub mod mailbox;
pub mod migration;
pub mod partnerships;
pub mod reviews;
pub mod seats;
pub mod sso;
pub mod team;
pub mod view_as;
pub mod workspace_settings;
