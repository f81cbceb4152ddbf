//! What the server does, decided once for both storage backends: each operation asks the
//! storage seam (`crate::db`) for facts inside one transaction, lets the rules
//! (`crate::domain`) decide, writes the change, its audit entry and the emails it causes,
//! and commits.

pub mod access_requests;
pub mod audit;
pub mod expiry;
pub mod external_access;
pub mod invitations;
pub mod membership;
pub mod migration;
pub mod partners;
pub mod partnerships;
#[cfg(test)]
mod plans;
pub mod reviews;
pub mod sso;
pub mod team;
pub mod view_as;
pub mod workspaces;
