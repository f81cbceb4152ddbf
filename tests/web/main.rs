//! Component tests: mount real components in headless Chromium and assert on the DOM.
#![cfg(target_arch = "wasm32")]

mod support;

mod access_reviews;
mod account_menu;
mod audit_log;
mod external_access;
mod field;
mod live_events;
mod migration;
mod multi_partner_dialog;
mod next;
mod partner_lead;
mod partnerships;
mod require_session;
mod shell;
mod signin;
mod sso;
mod switch;
mod team;
mod toast;
mod view_as;
mod workspaces;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
