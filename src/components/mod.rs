//! Reusable pieces of the UI, one component per file.

pub mod server_status;
pub mod shell;
pub mod team_settings_nav;
pub mod top_bar;
