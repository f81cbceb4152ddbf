//! `partner-server copy`: moves every row of one database into another, empty one, on either
//! backend (SQLite → PostgreSQL is how an installation scales out). The target is migrated
//! to the same schema first; the rows go over table by table in one transaction of the
//! target, so a copy that fails leaves the target as empty as it was. What the triggers
//! derive (partnership summaries, totals, search index, list versions) is not copied but
//! recomputed in the target from the copied grants, once per publisher and partner team.
//! The change log of live updates is not copied: it holds an hour of hints, and browsers
//! that reconnect to the new database are told to read everything again.

use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use sqlx::Row;

use super::Db;

/// How a column is read and written: its Rust type on both backends.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Text, or NULL.
    Text,
    /// A 64-bit integer, or NULL.
    Int,
    /// A flag (0/1 on SQLite, boolean on PostgreSQL).
    Flag,
    /// Bytes (BLOB / BYTEA).
    Bytes,
}

/// One value on its way.
#[derive(Debug)]
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Flag(bool),
    Bytes(Vec<u8>),
}

use Kind::{Bytes, Flag, Int, Text};

/// The tables that hold what people and the product wrote, parents before children.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "teams",
        &[
            ("id", Text),
            ("name", Text),
            ("domain", Text),
            ("plan", Text),
            ("editor_seats_included", Int),
            ("sso_enforced", Flag),
            ("created_at", Text),
            ("default_access", Text),
            ("audit_retention_days", Int),
        ],
    ),
    (
        "users",
        &[
            ("id", Text),
            ("email", Text),
            ("name", Text),
            ("password_hash", Text),
            ("team_id", Text),
            ("team_role", Text),
            ("is_partner_manager", Flag),
            ("last_sign_in_at", Text),
            ("last_sign_in_sso", Flag),
            ("created_at", Text),
        ],
    ),
    (
        "migration_runs",
        &[
            ("id", Text),
            ("team_id", Text),
            ("kind", Text),
            ("requested_by", Text),
            ("state", Text),
            ("started_at", Text),
            ("finished_at", Text),
            ("failed_attempts", Int),
            ("last_error", Text),
            ("next_attempt_at", Text),
            ("people_emailed", Int),
            ("workspaces_migrated", Int),
        ],
    ),
    (
        "workspaces",
        &[
            ("id", Text),
            ("team_id", Text),
            ("name", Text),
            ("summary", Text),
            ("visibility", Text),
            ("multi_partner_mode", Flag),
            ("legacy", Flag),
            ("migration_state", Text),
            ("migrated_at", Text),
            ("created_at", Text),
            ("migration_run_id", Text),
        ],
    ),
    (
        "workspace_members",
        &[("workspace_id", Text), ("user_id", Text), ("role", Text)],
    ),
    (
        "partner_grants",
        &[
            ("workspace_id", Text),
            ("user_id", Text),
            ("partner_team_id", Text),
            ("publisher_team_id", Text),
            ("role", Text),
            ("created_at", Text),
            ("revoked_at", Text),
            ("revoked_reason", Text),
            ("is_lead", Flag),
            ("invited_by", Text),
            ("last_opened_at", Text),
            ("ends_at", Text),
            ("reminded_at", Text),
        ],
    ),
    (
        "team_invitations",
        &[
            ("id", Text),
            ("team_id", Text),
            ("email", Text),
            ("team_role", Text),
            ("token_hash", Bytes),
            ("invited_by", Text),
            ("created_at", Text),
            ("sent_at", Text),
            ("expires_at", Text),
            ("state", Text),
            ("decided_at", Text),
        ],
    ),
    (
        "access_reviews",
        &[
            ("id", Text),
            ("team_id", Text),
            ("scope_kind", Text),
            ("scope_id", Text),
            ("scope_label", Text),
            ("created_by", Text),
            ("created_at", Text),
            ("due_at", Text),
            ("undecided", Text),
            ("state", Text),
            ("applied_at", Text),
        ],
    ),
    (
        "access_review_reviewers",
        &[("review_id", Text), ("user_id", Text)],
    ),
    (
        "access_review_items",
        &[
            ("review_id", Text),
            ("workspace_id", Text),
            ("user_id", Text),
            ("partner_team_id", Text),
            ("role", Text),
            ("granted_at", Text),
            ("decision", Text),
            ("decided_by", Text),
            ("decided_at", Text),
            ("applied_at", Text),
        ],
    ),
    (
        "access_requests",
        &[
            ("id", Text),
            ("workspace_id", Text),
            ("user_id", Text),
            ("role", Text),
            ("message", Text),
            ("status", Text),
            ("created_at", Text),
            ("decided_at", Text),
            ("decided_by", Text),
            ("notified_at", Text),
            ("publisher_team_id", Text),
        ],
    ),
    (
        "access_requests_archive",
        &[
            ("id", Text),
            ("workspace_id", Text),
            ("user_id", Text),
            ("publisher_team_id", Text),
            ("role", Text),
            ("message", Text),
            ("status", Text),
            ("created_at", Text),
            ("decided_at", Text),
            ("decided_by", Text),
            ("notified_at", Text),
            ("archived_at", Text),
        ],
    ),
    (
        "sessions",
        &[
            ("token_hash", Bytes),
            ("user_id", Text),
            ("created_at", Text),
            ("expires_at", Text),
            ("method", Text),
        ],
    ),
    (
        "team_sso_providers",
        &[
            ("team_id", Text),
            ("issuer", Text),
            ("client_id", Text),
            ("client_secret", Bytes),
            ("updated_at", Text),
            ("updated_by", Text),
        ],
    ),
    (
        "partner_sso_requirements",
        &[
            ("publisher_team_id", Text),
            ("partner_team_id", Text),
            ("required_by", Text),
            ("created_at", Text),
        ],
    ),
    (
        "email_outbox",
        &[
            ("id", Text),
            ("dedupe_key", Text),
            ("to_email", Text),
            ("subject", Text),
            ("text_body", Text),
            ("html_body", Text),
            ("link", Text),
            ("created_at", Text),
            ("sent_at", Text),
            ("attempts", Int),
            ("last_error", Text),
            ("claimed_by", Text),
            ("claimed_until", Int),
            ("retry_at", Int),
        ],
    ),
    (
        "audit_log",
        &[
            ("id", Int),
            ("at", Text),
            ("actor_id", Text),
            ("team_id", Text),
            ("action", Text),
            ("workspace_id", Text),
            ("subject_id", Text),
            ("detail", Text),
            ("partner_team_id", Text),
        ],
    ),
];

/// Rows per INSERT (well under both backends' limits on parameters).
const BATCH: usize = 500;

/// Rows copied, per table.
pub type Copied = Vec<(&'static str, u64)>;

/// Reads column `i` of `row` as `kind`.
macro_rules! read {
    ($row:expr, $i:expr, $kind:expr) => {
        match $kind {
            Text => Value::Text($row.try_get::<Option<String>, _>($i)?),
            Int => Value::Int($row.try_get::<Option<i64>, _>($i)?),
            Flag => Value::Flag($row.try_get::<bool, _>($i)?),
            Bytes => Value::Bytes($row.try_get::<Vec<u8>, _>($i)?),
        }
    };
}

/// Inserts `rows` of `table` with the target's transaction `tx`.
macro_rules! insert {
    ($target:expr, $tx:expr, $table:expr, $columns:expr, $rows:expr) => {{
        let names: Vec<&str> = $columns.iter().map(|(name, _)| *name).collect();
        let one = format!("({})", vec!["?"; names.len()].join(", "));
        let statement = $target.sql(&format!(
            "INSERT INTO {} ({}) VALUES {}",
            $table,
            names.join(", "),
            vec![one.as_str(); $rows.len()].join(", ")
        ));
        let mut query = sqlx::query(&statement);
        for value in $rows.drain(..).flatten() {
            query = match value {
                Value::Text(v) => query.bind(v),
                Value::Int(v) => query.bind(v),
                Value::Flag(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query.execute(&mut *$tx).await?;
    }};
}

/// What a copy did.
#[derive(Debug)]
pub enum Outcome {
    /// The rows copied, per table.
    Copied(Copied),
    /// The target already held as many rows of every table as the source (a copy that was
    /// run before): nothing was written.
    AlreadyCopied(Copied),
}

/// Copies every row of `source` into `target`, which must be empty, or already hold a copy
/// of it (then nothing happens: running the copy again is safe).
pub async fn copy(source: &Db, target: &Db) -> anyhow::Result<Outcome> {
    let teams = count(target, "teams").await?;
    if teams > 0 {
        let mut same = Vec::new();
        for (table, _) in TABLES {
            let (from, to) = (count(source, table).await?, count(target, table).await?);
            if from != to {
                bail!(
                    "the target database already holds other data ({table}: {to} rows, the \
                     source has {from}): copy into an empty database"
                );
            }
            same.push((*table, from));
        }
        return Ok(Outcome::AlreadyCopied(same));
    }
    copy_into_empty(source, target).await.map(Outcome::Copied)
}

async fn copy_into_empty(source: &Db, target: &Db) -> anyhow::Result<Copied> {
    let mut copied = Vec::new();
    crate::on_pool!(target, to => {
        let mut tx = to.begin().await?;
        // Grants copied from here on note their summaries; recomputed once each below.
        sqlx::query(&target.sql(
            "INSERT INTO partnership_refresh_paused (paused) VALUES (TRUE) ON CONFLICT DO NOTHING",
        ))
        .execute(&mut *tx)
        .await?;
        for (table, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
            let select = format!("SELECT {} FROM {table}{}", names.join(", "), only(table));
            let mut rows = 0_u64;
            let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH);
            crate::on_pool!(source, from => {
                let mut stream = sqlx::query(&select).fetch(from);
                while let Some(row) = stream.try_next().await? {
                    let mut values = Vec::with_capacity(columns.len());
                    for (i, (_, kind)) in columns.iter().enumerate() {
                        values.push(read!(row, i, *kind));
                    }
                    batch.push(values);
                    rows += 1;
                    if batch.len() == BATCH {
                        insert!(target, tx, table, columns, batch);
                    }
                }
            });
            if !batch.is_empty() {
                insert!(target, tx, table, columns, batch);
            }
            copied.push((*table, rows));
        }
        sqlx::query(&target.sql("DELETE FROM partnership_refresh_paused"))
            .execute(&mut *tx)
            .await?;
        if target.dialect() == super::sql::Dialect::Postgres {
            // One transaction recomputes every pair: no lock per pair (0002).
            sqlx::query("SELECT set_config('partner.bulk_refresh', 'on', true)")
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(&target.sql(
            "INSERT INTO partnership_refresh (publisher_team_id, partner_team_id)
             SELECT publisher_team_id, partner_team_id FROM partnership_refresh_pending",
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&target.sql("DELETE FROM partnership_refresh_pending"))
            .execute(&mut *tx)
            .await?;
        if target.dialect() == super::sql::Dialect::Postgres {
            // Audit entries written after the copy number on from the copied ones.
            sqlx::query(
                "SELECT setval(pg_get_serial_sequence('audit_log', 'id'),
                               GREATEST((SELECT MAX(id) FROM audit_log), 1))",
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    });
    for (table, rows) in &copied {
        let there = count(target, table).await?;
        if there != *rows {
            bail!("{table}: {rows} rows read, {there} in the target after the copy");
        }
    }
    Ok(copied)
}

/// Which rows of `table` are copied: all but "view as partner" sessions (an hour long, tied
/// to their viewer's session) and SSO sign-ins in flight (minutes long, not listed).
fn only(table: &str) -> &'static str {
    if table == "sessions" {
        " WHERE view_parent IS NULL"
    } else {
        ""
    }
}

/// The rows of `table` in `db` that a copy copies.
async fn count(db: &Db, table: &str) -> anyhow::Result<u64> {
    let statement = format!("SELECT COUNT(*) FROM {table}{}", only(table));
    let rows: i64 = crate::on_pool!(db, pool => {
        sqlx::query_scalar(&statement).fetch_one(pool).await
    })
    .with_context(|| format!("counting {table}"))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}
