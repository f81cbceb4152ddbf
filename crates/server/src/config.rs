//! Command-line flags; each one can also be set through its environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `partner-server`: serves the Partner Workspaces API (and, with `--static-dir`, the web app).
#[derive(Debug, Parser)]
#[command(name = "partner-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

/// What the binary does besides serving (the default).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a database with many generated partner teams (for benchmarks).
    Generate(GenerateArgs),
    /// Print the OpenAPI 3 document of the API.
    Openapi,
}

/// Flags of `partner-server generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// SQLite database file to fill (created if missing; the demo data is added first).
    #[arg(long, default_value = "data/generated.db")]
    pub database: PathBuf,
    /// Partner teams to create.
    #[arg(long, default_value_t = 10_000)]
    pub teams: u32,
    /// Partners in each partner team.
    #[arg(long, default_value_t = 10)]
    pub partners_per_team: u32,
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
