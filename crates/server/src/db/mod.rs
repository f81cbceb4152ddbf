//! All SQL lives behind this module, so another database can be added beside SQLite.

pub mod access_requests;
pub mod audit;
mod auth;
mod demo;
mod generate;
pub mod migration;
pub mod outbox;
pub mod partners;
mod partnerships;
#[cfg(test)]
mod plans;
pub mod workspaces;

pub use auth::SESSION_DAYS;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A handle on the database (a connection pool; cheap to clone).
#[derive(Clone)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens the SQLite file (creating it and its folder if needed) and applies migrations.
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
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .with_context(|| format!("opening the database {}", path.display()))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Self { pool })
    }

    /// The newest migration applied: proves the database answers.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await
            .map(|v| v.unwrap_or(0))
    }

    /// Loads the demo data of `shared/API.md` unless it is already there.
    pub async fn load_demo(&self) -> anyhow::Result<()> {
        demo::load(&self.pool).await
    }

    /// The underlying pool, for the data generator and tests.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// The current time as stored in the database (RFC 3339, UTC).
pub fn now() -> String {
    timestamp(OffsetDateTime::now_utc())
}

/// A time as stored in the database (RFC 3339, UTC).
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339)
        .expect("RFC 3339 can format every UTC time")
}

/// A LIKE pattern that finds `text` anywhere, with LIKE's wildcards taken literally
/// (use with `ESCAPE '\\'`). SQLite's LIKE ignores ASCII case.
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
}
