//! The database the servers of one test share, for the few tests that reach past the app:
//! a SQLite file in the test's folder, or (cluster mode) a fresh database on the PostgreSQL
//! server `PARTNER_E2E_POSTGRES` names.

use std::path::Path;

use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

/// The PostgreSQL server of cluster mode (`postgres://user@host:port/db`, allowed to create
/// databases), if `PARTNER_E2E_POSTGRES` names one.
pub fn postgres_server() -> Option<String> {
    std::env::var("PARTNER_E2E_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Where one test's data lives.
#[derive(Debug, Clone)]
pub enum Database {
    /// A SQLite file (WAL mode: a test may write to it while servers run).
    Sqlite(String),
    /// A database of its own on a PostgreSQL server.
    Postgres(String),
}

impl Database {
    /// A new, empty database: a SQLite file in `dir`, or a new database on `postgres`
    /// (named at random, as the server's API tests do; the cluster is thrown away whole).
    pub async fn fresh(dir: &Path, postgres: Option<&str>) -> Self {
        let Some(server) = postgres else {
            return Self::Sqlite(dir.join("e2e.db").to_str().unwrap().to_owned());
        };
        let name = format!("e2e_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("PARTNER_E2E_POSTGRES={server} does not answer: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("a database for the test");
        admin.close().await.unwrap();
        let base = server.split('?').next().unwrap_or(server);
        let (root, _) = base
            .rsplit_once('/')
            .expect("a postgres URL that names a database");
        Self::Postgres(format!("{root}/{name}"))
    }

    /// What `partner-server --database` takes.
    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite(path) | Self::Postgres(path) => path,
        }
    }

    /// A connection of the test's own, beside the servers'.
    pub async fn connect(&self) -> Db {
        match self {
            Self::Sqlite(path) => Db::Sqlite(
                SqliteConnectOptions::new()
                    .filename(path)
                    // The servers hold the write lock through slow (injected) steps: wait
                    // for it as they do, rather than failing after sqlx's 5 s default.
                    .busy_timeout(std::time::Duration::from_secs(30))
                    .connect()
                    .await
                    .expect("the servers' SQLite file"),
            ),
            Self::Postgres(url) => Db::Postgres(
                PgConnection::connect(url)
                    .await
                    .expect("the servers' PostgreSQL database"),
            ),
        }
    }
}

/// A connection to the servers' database.
pub enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    /// Whether statements must be written for PostgreSQL (triggers differ most).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// Runs one statement with text parameters `$1`, `$2`... (both backends read them) and
    /// gives the number of rows it changed.
    pub async fn execute(&mut self, statement: &str, params: &[&str]) -> u64 {
        let failed = |e: sqlx::Error| -> u64 { panic!("{statement}: {e}") };
        match self {
            Self::Sqlite(db) => {
                let mut query = sqlx::query(statement);
                for param in params {
                    query = query.bind(*param);
                }
                query
                    .execute(db)
                    .await
                    .map_or_else(failed, |done| done.rows_affected())
            }
            Self::Postgres(db) => {
                let mut query = sqlx::query(statement);
                for param in params {
                    query = query.bind(*param);
                }
                query
                    .execute(db)
                    .await
                    .map_or_else(failed, |done| done.rows_affected())
            }
        }
    }

    /// Closes the connection.
    pub async fn close(self) {
        match self {
            Self::Sqlite(db) => db.close().await.unwrap(),
            Self::Postgres(db) => db.close().await.unwrap(),
        }
    }
}
