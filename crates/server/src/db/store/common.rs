// The statements of the store, compiled once into each backend module (`sqlite.rs`,
// `postgres.rs`), which define `DB` (the sqlx database), `Conn` (its connection), `D` (its
// dialect), `Store` (a pool) and `Tx` (a write transaction) before including this file.

use crate::db::rows::*;
use crate::db::{like_pattern, new_id, now, timestamp};

/// A statement in this backend's dialect, converted once per call site.
macro_rules! sql {
    ($text:expr) => {{
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| D.sql($text));
        STATEMENT.as_str()
    }};
}

/// A statement built (with the dialect's fragments) and converted once per call site.
macro_rules! built {
    ($build:expr) => {{
        static STATEMENT: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| D.sql(&$build));
        STATEMENT.as_str()
    }};
}

impl Tx {
    /// The transaction's connection.
    fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl Store {
    /// The newest migration applied: proves the database answers.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar::<_, Option<i64>>(sql!("SELECT MAX(version) FROM _sqlx_migrations"))
            .fetch_one(&self.pool)
            .await
            .map(|v| v.unwrap_or(0))
    }
}

include!("audit.rs");
include!("auth.rs");
include!("sso.rs");
include!("workspaces.rs");
include!("partners.rs");
include!("partnerships.rs");
include!("team.rs");
include!("external.rs");
include!("expiry.rs");
include!("reviews.rs");
include!("access_requests.rs");
include!("outbox.rs");
include!("changes.rs");
include!("migration.rs");
include!("demo.rs");
include!("generate.rs");
