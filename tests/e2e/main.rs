//! End-to-end tests: the real `partner-server` (demo data, serving the Trunk `dist/`),
//! real Chromium through chromedriver, selecting elements the way a person finds them.
//! With `PARTNER_E2E_POSTGRES` set to a PostgreSQL server's URL every test runs against two
//! servers on a fresh database of it, behind nginx (cluster mode; see harness.rs).
#![cfg(not(target_arch = "wasm32"))]

mod database;
mod harness;

mod a11y;
mod access_reviews;
mod account;
mod audit_log;
mod crash;
mod early_data;
mod external_access;
mod failover;
mod keyboard;
mod live;
mod live_servers;
mod mailbox;
mod migration;
mod narrow;
mod partner_lead;
mod partnerships;
mod payload;
mod screenshots;
mod settings;
mod signin;
mod skeleton;
mod sso;
mod team;
mod view_as;
mod workspaces;
