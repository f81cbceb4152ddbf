//! The SQLite backend: one database file in WAL mode, for one server process. Writers take
//! SQLite's single write lock at the start of their transaction (`BEGIN IMMEDIATE`), so a
//! check and the change it allows can never interleave with another writer; the row locks
//! [`Tx`] offers are therefore nothing here.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::sql::Dialect;
use super::{Notice, NoticeFeed};

type DB = sqlx::Sqlite;
type Conn = sqlx::SqliteConnection;
const D: Dialect = Dialect::Sqlite;

/// The connection pool, and the changes its transactions commit (one process: they are
/// announced in-process).
#[derive(Clone)]
pub struct Store {
    pool: sqlx::Pool<DB>,
    feed: NoticeFeed,
}

/// One write transaction, holding SQLite's write lock, and the changes it announces once
/// it commits.
pub struct Tx {
    tx: sqlx::Transaction<'static, DB>,
    announced: Vec<Notice>,
    feed: NoticeFeed,
}

impl Store {
    /// Opens the file (creating it and its folder if needed) and applies the migrations.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating the database folder {}", parent.display()))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // Processes that open one file at once set it up and migrate it in turn (sqlx takes
        // no lock on SQLite): an exclusive lock on a file beside the database, released on
        // drop. Taken before the first connection, whose switch to WAL mode could otherwise
        // meet another's migration and fail at once with "database is locked".
        let lock_path = path.with_extension("migrate.lock");
        let lock = std::fs::File::create(&lock_path)
            .with_context(|| format!("creating {}", lock_path.display()))?;
        let lock = tokio::task::spawn_blocking(move || lock.lock().map(|()| lock))
            .await
            .context("waiting for the migration lock")?
            .context("locking the database for its migrations")?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .with_context(|| format!("opening the database {}", path.display()))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .context("applying database migrations")?;
        drop(lock);
        Ok(Self {
            pool,
            feed: NoticeFeed::new(),
        })
    }

    /// A write transaction with the database's write lock.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            announced: Vec::new(),
            feed: self.feed.clone(),
        })
    }

    /// What this process's transactions commit, from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.feed.subscribe()
    }

    /// Tells this process's listeners something that is not a change (a sign-out).
    pub async fn announce(&self, notice: Notice) -> Result<(), sqlx::Error> {
        self.feed.send(notice);
        Ok(())
    }

    /// The same database through a pool of its own of `connections` (opened as needed),
    /// for work that must not queue behind the requests' writers.
    pub fn sibling(&self, connections: u32) -> Self {
        let options = (*self.pool.connect_options()).clone();
        Self {
            pool: SqlitePoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(Duration::from_secs(5))
                .connect_lazy_with(options),
            feed: self.feed.clone(),
        }
    }

    /// The pool (the storage tests and the data generator use it).
    pub fn pool(&self) -> &sqlx::Pool<DB> {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl Tx {
    /// Makes the transaction's changes permanent, then announces them.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        for notice in self.announced {
            self.feed.send(notice);
        }
        Ok(())
    }

    /// Keeps a notice until the transaction commits.
    async fn announce(&mut self, notice: Notice) -> Result<(), sqlx::Error> {
        self.announced.push(notice);
        Ok(())
    }

    /// Serialises changes to one publisher's partner access (the write lock already does).
    pub async fn lock_publisher(&mut self, _team_id: &str) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Serialises changes to one team's membership and digests (the write lock already does).
    pub async fn lock_team(&mut self, _team_id: &str) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Serialises the steps of one migration run (the write lock already does).
    pub async fn lock_run(&mut self, _run_id: &str) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// Leadership of one kind of scheduled job. The processes that share a SQLite file all lead:
/// every scheduled job is safe to run twice (runs are locked, emails deduplicated).
pub struct Lead;

impl Store {
    /// Leadership of `job`: always.
    pub async fn try_lead(&self, _job: i64) -> Result<Option<Lead>, sqlx::Error> {
        Ok(Some(Lead))
    }
}

impl Lead {
    /// Whether the leadership still holds: always.
    pub async fn holds(&mut self) -> bool {
        true
    }
}

include!("store/common.rs");
