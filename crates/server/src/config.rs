//! Command-line flags; each one can also be set through its environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::db::DatabaseUrl;

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
    /// Copy every row of one database into another, empty one (e.g. from the SQLite file
    /// to PostgreSQL, to run several servers). Stop the servers of the source first.
    Copy(CopyArgs),
}

/// Flags of `partner-server copy`.
#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The database to read (a SQLite file or a postgres:// URL); migrated to the current
    /// schema first.
    #[arg(long, value_parser = DatabaseUrl::parse)]
    pub from: DatabaseUrl,
    /// The database to fill (created and migrated if needed; must hold no data).
    #[arg(long, value_parser = DatabaseUrl::parse)]
    pub to: DatabaseUrl,
}

/// Flags of `partner-server generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Database to fill (a SQLite file, created if missing, or a postgres:// URL); the demo
    /// data is added first.
    #[arg(long, default_value = "data/generated.db", value_parser = DatabaseUrl::parse)]
    pub database: DatabaseUrl,
    /// Partner teams to create.
    #[arg(long, default_value_t = 10_000)]
    pub teams: u32,
    /// Partners in each partner team.
    #[arg(long, default_value_t = 10)]
    pub partners_per_team: u32,
    /// Also add this many legacy (pre-May 2025) partner workspaces to Acme Payments, each
    /// shared with its own partner team (for migration benchmarks and crash tests).
    #[arg(long, default_value_t = 0)]
    pub legacy_workspaces: u32,
    /// Partners in each legacy workspace's partner team.
    #[arg(long, default_value_t = 2)]
    pub partners_per_legacy_workspace: u32,
    /// Also add this many other publisher teams (tenants), each with 5 people, 5
    /// workspaces, 10 partner teams of 5 people (100 grants) and 20 access requests: other
    /// companies' data beside the demo teams' (`scripts/bench/tenants.sh`).
    #[arg(long, default_value_t = 0)]
    pub tenants: u32,
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PARTNER_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The database: a SQLite file (`data/x.db` or `sqlite://data/x.db`; it and its folder
    /// are created on first start) or a PostgreSQL URL (`postgres://user:pass@host/db`),
    /// which several servers can share.
    #[arg(
        long,
        env = "PARTNER_DATABASE",
        default_value = "data/partner-workspaces.db",
        value_parser = DatabaseUrl::parse,
        hide_env_values = true
    )]
    pub database: DatabaseUrl,
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
    /// Development mode: serves the dev mailbox (`GET /api/dev/mailbox`). `--demo` implies it.
    #[arg(long, env = "PARTNER_DEV")]
    pub dev: bool,
    /// Deliver emails through this SMTP server: `smtp://host:port` (plain, for local
    /// catchers), `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465` (TLS). Without it emails stay in the outbox, readable
    /// in the dev mailbox, and are marked delivered there.
    #[arg(long, env = "PARTNER_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From of every email.
    #[arg(
        long,
        env = "PARTNER_EMAIL_FROM",
        default_value = "Partner Workspaces <no-reply@partner-workspaces.test>"
    )]
    pub email_from: String,
    /// Access requests to one team that arrive within this many seconds of the first are
    /// sent to its Partner Managers and Team Admins as one digest (fractions allowed).
    #[arg(long = "digest-window-secs", env = "PARTNER_DIGEST_WINDOW_SECS", default_value = "60", value_parser = parse_seconds)]
    pub digest_window: Duration,
    /// How often the email worker looks for work it was not woken for (digests that came
    /// due, retries), in milliseconds.
    #[arg(long = "worker-poll-ms", env = "PARTNER_WORKER_POLL_MS", default_value = "1000", value_parser = parse_millis)]
    pub worker_poll: Duration,
    /// How often the migration scheduler runs its pass (finishing interrupted runs, retrying
    /// failed ones, starting due ones), and so how soon another server takes the lead of it
    /// when the leader's process ends.
    #[arg(long = "scheduler-secs", env = "PARTNER_SCHEDULER_SECS", default_value = "60", value_parser = parse_seconds)]
    pub scheduler_every: Duration,
    /// How often partner access that has reached its end is ended (and reminders before
    /// ends are written), in seconds (fractions allowed).
    #[arg(long = "expiry-secs", env = "PARTNER_EXPIRY_SECS", default_value = "30", value_parser = parse_seconds)]
    pub expiry_every: Duration,
    /// How long this process holds an email it is delivering over SMTP (fractions allowed).
    /// A send is given up after half of it; an email whose process died is sent again by
    /// another process once the claim has run out.
    #[arg(long = "email-lease-secs", env = "PARTNER_EMAIL_LEASE_SECS", default_value = "300", value_parser = parse_seconds)]
    pub email_lease: Duration,
    /// Migrate teams' legacy partner workspaces automatically when their plan's date has
    /// come (interrupted migrations are always finished).
    #[arg(long, env = "PARTNER_SCHEDULED_MIGRATIONS", default_value_t = true, action = ArgAction::Set)]
    pub scheduled_migrations: bool,

    /// Megabytes of Partnerships list pages kept to answer again while the list is unchanged
    /// (every request still checks the list's version in the database); 0 keeps none.
    #[arg(
        long = "list-cache-mb",
        env = "PARTNER_LIST_CACHE_MB",
        default_value_t = 16
    )]
    pub list_cache_mb: u64,

    /// Reverse proxies (addresses or networks, comma-separated) whose forwarding header
    /// names the client. Only requests from these peers are read for it; without any, the
    /// TCP peer is the client. Sign-in throttling keys on the client.
    #[arg(
        long = "trusted-proxy",
        env = "PARTNER_TRUSTED_PROXIES",
        value_delimiter = ',',
        num_args = 1..,
        value_parser = crate::client_ip::parse_network
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The header the trusted proxies write the client's address into.
    #[arg(
        long = "forwarded-header",
        env = "PARTNER_FORWARDED_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub forwarded_header: crate::client_ip::ForwardedHeader,
    /// Password hashes (~19 MiB each) computed at once; more sign-ins wait briefly or are
    /// refused with 429. Default: one per core.
    #[arg(long = "hash-concurrency", env = "PARTNER_HASH_CONCURRENCY")]
    pub hash_concurrency: Option<usize>,
    /// How many servers share the sign-in throttle's budget (the servers behind one
    /// balancer): each allows 1/N of it, so together they allow what one server would.
    #[arg(
        long = "sign-in-servers",
        env = "PARTNER_SIGN_IN_SERVERS",
        default_value_t = 1,
        value_parser = clap::value_parser!(u32).range(1..=256)
    )]
    pub sign_in_servers: u32,
    /// The key that seals secrets at rest (teams' SSO client secrets): 32 bytes of base64
    /// (`openssl rand -base64 32`), the same on every server of one database. Without it
    /// no SSO provider can be set up (`--demo` uses a fixed, public demo key).
    #[arg(long, env = "PARTNER_SECRET_KEY", value_parser = crate::secrets::SecretKey::parse, hide_env_values = true)]
    pub secret_key: Option<crate::secrets::SecretKey>,
    /// Let teams' identity providers be `http://` and on local or private addresses (for
    /// testing with a provider on this machine; `--demo` implies it). Never in production.
    #[arg(long, env = "PARTNER_OIDC_ALLOW_LOCAL")]
    pub oidc_allow_local: bool,
    /// Live update streams (`GET /api/events`) this server holds open at once; more are
    /// refused with 429 (pages still work, without live updates). Each takes a connection
    /// and a few kilobytes.
    #[arg(
        long = "max-streams",
        env = "PARTNER_MAX_STREAMS",
        default_value_t = 10_000
    )]
    pub max_streams: usize,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} isn't a number of seconds"))?;
    Duration::try_from_secs_f64(secs).map_err(|_| format!("{text:?} isn't a duration"))
}

fn parse_millis(text: &str) -> Result<Duration, String> {
    let millis: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} isn't a whole number of milliseconds"))?;
    if millis == 0 {
        return Err("use at least 1 millisecond".into());
    }
    Ok(Duration::from_millis(millis))
}

impl Config {
    /// A configuration for tests: a given database, an OS-chosen port, no demo data, a
    /// fast email worker and no scheduled migrations.
    pub fn for_tests(database: impl Into<DatabaseUrl>) -> Self {
        Self {
            addr: "127.0.0.1:0".parse().expect("a valid address"),
            database: database.into(),
            demo: false,
            static_dir: None,
            public_url: "http://127.0.0.1:8080".into(),
            dev: false,
            smtp_url: None,
            email_from: "Partner Workspaces <no-reply@partner-workspaces.test>".into(),
            digest_window: Duration::from_secs(60),
            worker_poll: Duration::from_millis(20),
            scheduler_every: Duration::from_secs(60),
            // Tests run expiry passes at the times they choose (`service::expiry::pass`).
            expiry_every: Duration::from_secs(3600),
            email_lease: Duration::from_secs(300),
            // Tests choose the day themselves (`jobs::run_scheduled_migrations`).
            scheduled_migrations: false,
            list_cache_mb: 16,
            trusted_proxies: Vec::new(),
            forwarded_header: crate::client_ip::ForwardedHeader::default(),
            hash_concurrency: None,
            sign_in_servers: 1,
            secret_key: Some(crate::secrets::SecretKey::from_bytes([7; 32])),
            oidc_allow_local: true,
            max_streams: 10_000,
        }
    }

    /// The reverse proxies whose forwarding header is believed.
    pub fn trusted(&self) -> crate::client_ip::TrustedProxies {
        crate::client_ip::TrustedProxies {
            networks: self.trusted_proxies.clone(),
            header: self.forwarded_header,
        }
    }

    /// The key that seals secrets: the one given, or with `--demo` the public demo key.
    pub fn sealing_key(&self) -> Option<crate::secrets::SecretKey> {
        self.secret_key.clone().or_else(|| {
            self.demo.then(|| {
                crate::secrets::SecretKey::from_bytes(*b"partner-workspaces-demo-key-0001")
            })
        })
    }

    /// Where identity providers send people back to.
    pub fn sso_redirect_uri(&self) -> String {
        format!("{}/api/sso/callback", self.public_url.trim_end_matches('/'))
    }

    /// Whether development-only endpoints (the dev mailbox) are served.
    pub fn dev_mode(&self) -> bool {
        self.dev || self.demo
    }
}
