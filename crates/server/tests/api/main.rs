//! Integration tests of the server over real HTTP against a fresh database each: a SQLite
//! file, or a PostgreSQL database when `PARTNER_TEST_POSTGRES` names a server.

mod adversarial;
mod audit_coverage;
mod bounded;
mod copy;
mod crash;
mod emails;
mod generate;
mod governance;
mod health;
mod helpers;
mod isolation;
mod live;
mod load;
mod matrix;
mod membership;
mod migration;
mod openapi;
mod partner_side;
mod password;
mod reviews;
mod scale_out;
mod seats;
mod session;
mod smtp;
mod smtp_listener;
mod sso;
mod static_files;
mod stream_holders;
mod summaries;
mod team;
mod throttle;
mod view_as;
