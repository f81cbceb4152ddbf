//! Command-line flags; each one can also be set through its environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser};

/// `partner-server`: serves the Partner Workspaces API (and, with `--static-dir`, the web app).
#[derive(Debug, Parser)]
#[command(name = "partner-server", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub serve: Config,
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PARTNER_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// SQLite database file; it and its folder are created on first start.
    #[arg(
        long,
        env = "PARTNER_DATABASE",
        default_value = "data/partner-workspaces.db"
    )]
    pub database: PathBuf,
    /// Load the demo teams, people and workspaces (idempotent).
    #[arg(long, env = "PARTNER_DEMO")]
    pub demo: bool,
    /// Also serve this folder (a Trunk `dist/`), with index.html for every other path.
    #[arg(long, env = "PARTNER_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// The origin people reach the app at; links in emails start with it, and an
    /// https origin makes the session cookie Secure.
    #[arg(
        long,
        env = "PARTNER_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,
}

impl Config {
    /// A configuration for tests: a given database, an OS-chosen port, no demo data.
    pub fn for_tests(database: PathBuf) -> Self {
        Self {
            addr: "127.0.0.1:0".parse().expect("a valid address"),
            database,
            demo: false,
            static_dir: None,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}
