//! Storage: every SQL statement of the server lives behind this module, for two backends.
//!
//! - SQLite (`sqlite://file.db`, or a plain path): the embedded default, one process.
//! - PostgreSQL (`postgres://…`): several stateless server processes share one database.
//!
//! The statements are written once (`store/*.rs`, SQL both databases understand, with the
//! few differences as [`sql::Dialect`] fragments) and compiled into each backend module
//! (`sqlite.rs`, `postgres.rs`) against its own sqlx types. [`Db`] (reads, jobs) and [`Tx`]
//! (one write transaction) are the seam: each call goes to the backend the URL chose.
//! Storage answers questions and applies changes; what may be done and which emails a
//! change causes are decided above it (`crate::service`, `crate::domain`).

/// A grant gives access only while it is not revoked and its holder is still in the team
/// it was given to (`$g` is the grant's alias).
macro_rules! active_grant {
    ($g:literal) => {
        concat!(
            $g,
            ".revoked_at IS NULL AND ",
            $g,
            ".partner_team_id = (SELECT team_id FROM users WHERE users.id = ",
            $g,
            ".user_id)"
        )
    };
}

pub mod copy;
mod demo;
mod generate;
pub mod origin;
pub mod rows;
pub mod search;
pub mod sql;

mod postgres;
mod sqlite;

use std::path::PathBuf;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub use demo::SSO_DEMO_TEAM;
pub use generate::{Generated, Tenants};
pub use rows::*;

/// Deliveries of an email are tried this many times; then it stays in the outbox with its
/// last error for a person to look at.
pub const MAX_EMAIL_ATTEMPTS: i64 = 8;

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 14;

/// Where the data lives, from `--database`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file (`sqlite://path`, `sqlite:path` or a plain path).
    Sqlite(PathBuf),
    /// A PostgreSQL server (`postgres://…` or `postgresql://…`).
    Postgres(String),
}

impl DatabaseUrl {
    /// Reads `--database`: a URL, or a path of a SQLite file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("give a SQLite file or a postgres:// URL".into());
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Self::Postgres(text.to_owned()));
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        if path.is_empty() || path.contains("://") {
            return Err(format!(
                "{text:?}: use sqlite://path/to/file.db, a path, or postgres://user@host/db"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            // Never the password.
            Self::Postgres(url) => match url.split_once("://").zip(url.rsplit_once('@')) {
                Some(((scheme, rest), (_, host))) => {
                    let user_info = &rest[..rest.len() - host.len() - 1];
                    let user = user_info.split(':').next().unwrap_or_default();
                    let hidden = if user_info.contains(':') { ":…" } else { "" };
                    write!(f, "{scheme}://{user}{hidden}@{host}")
                }
                None => f.write_str(url),
            },
        }
    }
}

impl DatabaseUrl {
    /// The URL as given, password included (to hand to another process, never to a log).
    pub fn to_url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => url.clone(),
        }
    }
}

impl From<PathBuf> for DatabaseUrl {
    fn from(path: PathBuf) -> Self {
        Self::Sqlite(path)
    }
}

impl From<&std::path::Path> for DatabaseUrl {
    fn from(path: &std::path::Path) -> Self {
        Self::Sqlite(path.to_owned())
    }
}

impl From<&PathBuf> for DatabaseUrl {
    fn from(path: &PathBuf) -> Self {
        Self::Sqlite(path.clone())
    }
}

/// Calls the same method on whichever backend an enum holds (`&self` methods of [`Db`],
/// `&mut self` methods of [`Tx`]).
macro_rules! dispatch {
    (Db { $(
        $(#[$meta:meta])*
        pub async fn $name:ident($($arg:ident: $arg_ty:ty),* $(,)?) -> $ret:ty;
    )* }) => {
        impl Db {
            $(
                $(#[$meta])*
                pub async fn $name(&self $(, $arg: $arg_ty)*) -> $ret {
                    match self {
                        Self::Sqlite(inner) => inner.$name($($arg),*).await,
                        Self::Postgres(inner) => inner.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
    (Tx { $(
        $(#[$meta:meta])*
        pub async fn $name:ident($($arg:ident: $arg_ty:ty),* $(,)?) -> $ret:ty;
    )* }) => {
        impl Tx {
            $(
                $(#[$meta])*
                pub async fn $name(&mut self $(, $arg: $arg_ty)*) -> $ret {
                    match self {
                        Self::Sqlite(inner) => inner.$name($($arg),*).await,
                        Self::Postgres(inner) => inner.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

mod api;

/// A handle on the database: a connection pool of one of the backends (cheap to clone).
#[derive(Clone)]
pub enum Db {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

/// One write transaction. Changes that must not interleave take a lock first
/// ([`Tx::lock_publisher`] and friends): on SQLite the transaction already holds the only
/// write lock (`BEGIN IMMEDIATE`); on PostgreSQL these take row locks.
pub enum Tx {
    Sqlite(sqlite::Tx),
    Postgres(postgres::Tx),
}

/// The scheduled jobs that one server at a time carries out (see [`Db::try_lead`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The daily pass that starts due migrations and retries failed ones.
    MigrationScheduler,
    /// Hourly housekeeping: expired sessions, decided access requests, old audit entries.
    Housekeeping,
    /// Reminders before partner access ends, and its end.
    Expiry,
}

impl Job {
    /// The job's advisory-lock key: "PW" and a number, so it is recognisable in pg_locks.
    fn key(self) -> i64 {
        0x5057_0000
            + match self {
                Self::MigrationScheduler => 1,
                Self::Housekeeping => 2,
                Self::Expiry => 3,
            }
    }
}

/// Leadership of a [`Job`]: while this process holds it, no other server runs that job.
pub enum Lead {
    Sqlite(sqlite::Lead),
    Postgres(postgres::Lead),
}

impl Lead {
    /// Whether the leadership still holds (its connection answers).
    pub async fn holds(&mut self) -> bool {
        match self {
            Self::Sqlite(lead) => lead.holds().await,
            Self::Postgres(lead) => lead.holds().await,
        }
    }
}

/// A backend's connection pool (see [`Db::pools`]).
pub enum Pools<'a> {
    Sqlite(&'a sqlx::SqlitePool),
    Postgres(&'a sqlx::PgPool),
}

/// Runs the same statement code on whichever pool a [`Db`] has: `on_pool!(db, pool => …)`.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db.pools() {
            $crate::db::Pools::Sqlite($pool) => $body,
            $crate::db::Pools::Postgres($pool) => $body,
        }
    };
}

impl Db {
    /// Opens the database (creating a SQLite file and its folder if needed) and applies the
    /// backend's migrations.
    pub async fn open(url: impl Into<DatabaseUrl>) -> anyhow::Result<Self> {
        Ok(match url.into() {
            DatabaseUrl::Sqlite(path) => Self::Sqlite(sqlite::Store::open(&path).await?),
            DatabaseUrl::Postgres(url) => Self::Postgres(postgres::Store::open(&url).await?),
        })
    }

    /// Which backend this is.
    pub fn dialect(&self) -> sql::Dialect {
        match self {
            Self::Sqlite(_) => sql::Dialect::Sqlite,
            Self::Postgres(_) => sql::Dialect::Postgres,
        }
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(store) => Tx::Sqlite(store.begin().await?),
            Self::Postgres(store) => Tx::Postgres(store.begin().await?),
        })
    }

    /// Leadership of `job`, unless another server holds it (PostgreSQL: a session-level
    /// advisory lock on a connection of its own; SQLite: every process leads).
    pub async fn try_lead(&self, job: Job) -> Result<Option<Lead>, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(store) => store.try_lead(job.key()).await?.map(Lead::Sqlite),
            Self::Postgres(store) => store.try_lead(job.key()).await?.map(Lead::Postgres),
        })
    }

    /// `statement` (written with `?1`-style parameters) in this backend's dialect.
    pub fn sql(&self, statement: &str) -> String {
        self.dialect().sql(statement)
    }

    /// The backend's connection pool, for statements outside the seam: the storage tests
    /// (arranging states no request reaches) and tools.
    pub fn pools(&self) -> Pools<'_> {
        match self {
            Self::Sqlite(store) => Pools::Sqlite(store.pool()),
            Self::Postgres(store) => Pools::Postgres(store.pool()),
        }
    }

    /// Closes every connection (tests that restart a server on the same database).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(store) => store.close().await,
            Self::Postgres(store) => store.close().await,
        }
    }
}

/// The current time as stored in the database: RFC 3339 UTC with nine fraction digits,
/// so that the text order is the time order.
pub fn now() -> String {
    timestamp(OffsetDateTime::now_utc())
}

/// A time as stored in the database (see [`now`]).
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let whole = at
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .expect("RFC 3339 can format every UTC time");
    // "…:SSZ" → "…:SS.nnnnnnnnnZ"
    format!("{}.{:09}Z", whole.trim_end_matches('Z'), at.nanosecond())
}

/// A LIKE pattern that finds `text` anywhere, with LIKE's wildcards taken literally (use
/// with `ESCAPE '\'`, as [`sql::Dialect::like`] writes it).
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// How many notices a slow listener may fall behind before it is told it lagged.
const NOTICE_BACKLOG: usize = 4096;

/// The in-process fan-out of [`Notice`]s: every subscriber gets each one (a subscriber that
/// falls [`NOTICE_BACKLOG`] behind learns it lagged, and must resync).
#[derive(Clone)]
pub struct NoticeFeed(tokio::sync::broadcast::Sender<Notice>);

impl NoticeFeed {
    fn new() -> Self {
        Self(tokio::sync::broadcast::channel(NOTICE_BACKLOG).0)
    }

    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.0.subscribe()
    }

    /// Sends to the subscribers there are (none is fine).
    fn send(&self, notice: Notice) {
        let _ = self.0.send(notice);
    }
}

/// What a server hears of committed changes (see [`Db::changes`]).
pub enum ChangeFeed {
    Sqlite(tokio::sync::broadcast::Receiver<Notice>),
    /// Fed by the task that owns the LISTEN connection (ended when the feed is dropped).
    Postgres {
        notices: tokio::sync::mpsc::Receiver<Notice>,
        listening: tokio::task::JoinHandle<()>,
    },
}

impl Drop for ChangeFeed {
    fn drop(&mut self) {
        if let Self::Postgres { listening, .. } = self {
            listening.abort();
        }
    }
}

impl ChangeFeed {
    /// The next notice ([`Notice::Missed`] when some were lost).
    pub async fn recv(&mut self) -> Notice {
        match self {
            Self::Sqlite(receiver) => match receiver.recv().await {
                Ok(notice) => notice,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => Notice::Missed,
                // The store outlives its transactions: never, in a running server.
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    std::future::pending().await
                }
            },
            Self::Postgres { notices, .. } => match notices.recv().await {
                Some(notice) => notice,
                None => std::future::pending().await,
            },
        }
    }

    /// A notice that has already arrived, without waiting.
    pub fn try_recv(&mut self) -> Option<Notice> {
        match self {
            Self::Sqlite(receiver) => match receiver.try_recv() {
                Ok(notice) => Some(notice),
                Err(tokio::sync::broadcast::error::TryRecvError::Lagged(_)) => Some(Notice::Missed),
                Err(_) => None,
            },
            Self::Postgres { notices, .. } => notices.try_recv().ok(),
        }
    }
}

impl Db {
    /// The changes committed from now on: this process's on SQLite (in-process), every
    /// server's on PostgreSQL (one LISTEN connection, held by the returned feed).
    pub fn changes(&self) -> ChangeFeed {
        match self {
            Self::Sqlite(store) => ChangeFeed::Sqlite(store.subscribe()),
            Self::Postgres(store) => {
                // The LISTEN connection is read by a task of its own, never interrupted; it
                // waits while the fan-out is busy (PostgreSQL queues the notifications).
                let mut listening = store.listen();
                let (send, notices) = tokio::sync::mpsc::channel(NOTICE_BACKLOG);
                let listening = tokio::spawn(async move {
                    loop {
                        let notice = listening.recv().await;
                        if send.send(notice).await.is_err() {
                            return;
                        }
                    }
                });
                ChangeFeed::Postgres { notices, listening }
            }
        }
    }

    /// The same database through a small pool of its own (live updates' reads, which must
    /// not wait behind the requests for a connection).
    pub fn sibling(&self, connections: u32) -> Self {
        match self {
            Self::Sqlite(store) => Self::Sqlite(store.sibling(connections)),
            Self::Postgres(store) => Self::Postgres(store.sibling(connections)),
        }
    }

    /// Tells every server's subscribers something that is not a change (a sign-out).
    pub async fn announce(&self, notice: Notice) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(store) => store.announce(notice).await,
            Self::Postgres(store) => store.announce(notice).await,
        }
    }
}

/// A new opaque id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern(" glo "), "%glo%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn stored_times_order_as_text_in_time_order() {
        let t = OffsetDateTime::from_unix_timestamp(1_764_800_000).unwrap();
        assert_eq!(timestamp(t), "2025-12-03T22:13:20.000000000Z");
        let later = t + time::Duration::milliseconds(5);
        assert_eq!(timestamp(later), "2025-12-03T22:13:20.005000000Z");
        assert!(timestamp(t) < timestamp(later));
        assert!(OffsetDateTime::parse(&timestamp(later), &Rfc3339).is_ok());
    }

    #[test]
    fn database_urls_name_a_backend() {
        assert_eq!(
            DatabaseUrl::parse("data/x.db"),
            Ok(DatabaseUrl::Sqlite("data/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db"),
            Ok(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@127.0.0.1:5432/pw"),
            Ok(DatabaseUrl::Postgres(
                "postgres://u:secret@127.0.0.1:5432/pw".into()
            ))
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("").is_err());
        assert_eq!(
            DatabaseUrl::parse("postgres://u:secret@h/pw")
                .unwrap()
                .to_string(),
            "postgres://u:…@h/pw"
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@ss@h/db")
                .unwrap()
                .to_string(),
            "postgres://u:…@h/db"
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().to_string(),
            "postgres://u@h/db"
        );
    }
}
