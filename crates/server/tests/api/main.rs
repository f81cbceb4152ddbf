//! Integration tests of the server over real HTTP against a fresh SQLite file each.

mod health;
mod helpers;
mod isolation;
mod matrix;
mod seats;
mod session;
mod static_files;
