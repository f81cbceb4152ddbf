//! The product's rules as plain functions over plain types.

pub mod access_requests;
pub mod audit;
pub mod authz;
pub mod csv;
pub mod events;
pub mod expiry;
pub mod migration;
pub mod password;
pub mod session_token;
pub mod sso;
pub mod view_as;
