//! One file per page of the product brief.

pub mod dev_mailbox;
pub mod not_found;
pub mod partnerships;
pub mod signin;
pub mod workspace;
pub mod workspace_settings;
pub mod workspaces;
