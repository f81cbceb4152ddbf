//! One file per page of the product brief.

pub mod access_review;
pub mod access_reviews;
pub mod audit_log;
pub mod dev_mailbox;
pub mod external_access;
pub mod join_team;
pub mod not_found;
pub mod partnerships;
pub mod signin;
pub mod team_general;
pub mod team_members;
pub mod team_sso;
pub mod workspace;
pub mod workspace_settings;
pub mod workspaces;
