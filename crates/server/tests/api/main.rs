//! Integration tests of the server over real HTTP against a fresh SQLite file each.

mod adversarial;
mod bounded;
mod crash;
mod emails;
mod generate;
mod health;
mod helpers;
mod isolation;
mod load;
mod matrix;
mod membership;
mod migration;
mod openapi;
mod password;
mod seats;
mod session;
mod smtp;
mod smtp_listener;
mod static_files;
mod summaries;
mod throttle;
