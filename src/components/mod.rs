//! Reusable pieces of the UI, one component per file.

pub mod account_menu;
pub mod badge;
pub mod dialog;
pub mod empty_state;
pub mod error_panel;
pub mod icon;
pub mod pagination;
pub mod require_session;
pub mod server_status;
pub mod shell;
pub mod skeleton_rows;
pub mod sort_header;
pub mod team_settings_nav;
pub mod toast;
pub mod top_bar;
