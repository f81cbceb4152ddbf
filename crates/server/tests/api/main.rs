//! Integration tests of the server over real HTTP against a fresh SQLite file each.

mod generate;
mod health;
mod helpers;
mod isolation;
mod matrix;
mod openapi;
mod seats;
mod session;
mod static_files;
