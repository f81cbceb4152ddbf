//! The product's rules as plain functions over plain types.

pub mod access_requests;
pub mod authz;
pub mod csv;
pub mod migration;
pub mod password;
pub mod session_token;
