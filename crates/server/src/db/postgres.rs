//! The PostgreSQL backend: several server processes share one database. Transactions run
//! at READ COMMITTED; a change that checks something and then acts on it first takes the
//! row lock that every change of that kind takes ([`Tx::lock_publisher`], `FOR UPDATE` on the
//! row it decides about), so two servers can't both pass the same check. Background work is
//! shared by claiming rows (`FOR UPDATE SKIP LOCKED`) and one leader per kind of scheduled
//! job (a session-level advisory lock).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::sql::Dialect;
use super::{Notice, NoticeFeed};

type DB = sqlx::Postgres;
type Conn = sqlx::PgConnection;
const D: Dialect = Dialect::Postgres;

/// The channel every server LISTENs to for the changes all servers commit.
const CHANNEL: &str = "partner_changes";

/// The connection pool, and what this server hears on [`CHANNEL`] (one listening
/// connection, started by the first [`Store::subscribe`]).
#[derive(Clone)]
pub struct Store {
    pool: sqlx::Pool<DB>,
    feed: NoticeFeed,
    listening: std::sync::Arc<std::sync::Once>,
}

/// One write transaction (READ COMMITTED).
pub struct Tx {
    tx: sqlx::Transaction<'static, DB>,
}

impl Store {
    /// Connects and applies the migrations (several servers starting at once take turns:
    /// sqlx holds an advisory lock while it migrates).
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        // Prepared statements always run their generic plan. PostgreSQL's default keeps
        // planning a statement anew on every run while a plan made for the values looks
        // cheaper than the generic one (every `?N IS NULL OR …` filter does): External
        // Workspaces took 0.89 ms so, 0.15 ms with its generic plan, on 10,000 publishers.
        // Every list's generic plan is checked to be index-driven (service/plans.rs).
        let options = PgConnectOptions::from_str(url)
            .context("reading the PostgreSQL URL")?
            .options([("plan_cache_mode", "force_generic_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .context("connecting to PostgreSQL")?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Self {
            pool,
            feed: NoticeFeed::new(),
            listening: std::sync::Arc::default(),
        })
    }

    /// A write transaction.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(Tx {
            tx: self.pool.begin().await?,
        })
    }

    /// What every server commits, from now on: one connection of this server LISTENs and
    /// fans the notifications out in-process. When it loses its connection it reconnects
    /// and says [`Notice::Missed`] (what was sent meanwhile is gone).
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        let receiver = self.feed.subscribe();
        self.listening.call_once(|| {
            tokio::spawn(listen(self.pool.clone(), self.feed.clone()));
        });
        receiver
    }

    /// Tells every server something that is not a change (a sign-out).
    pub async fn announce(&self, notice: Notice) -> Result<(), sqlx::Error> {
        notify(&self.pool, &notice).await
    }

    /// The pool (the storage tests and the data generator use it).
    pub fn pool(&self) -> &sqlx::Pool<DB> {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Sends a notice on [`CHANNEL`] (inside a transaction: delivered when it commits, in commit
/// order, and never if it rolls back).
async fn notify<'c>(
    executor: impl sqlx::PgExecutor<'c>,
    notice: &Notice,
) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(notice).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(executor)
        .await?;
    Ok(())
}

/// The listening connection's loop: until the pool closes.
async fn listen(pool: sqlx::PgPool, feed: NoticeFeed) {
    let mut listener: Option<sqlx::postgres::PgListener> = None;
    while !pool.is_closed() {
        let Some(live) = listener.as_mut() else {
            match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut fresh) => match fresh.listen(CHANNEL).await {
                    Ok(()) => listener = Some(fresh),
                    Err(error) => tracing::warn!(%error, "could not LISTEN for changes"),
                },
                Err(error) => {
                    if !pool.is_closed() {
                        tracing::warn!(%error, "could not connect to LISTEN for changes");
                    }
                }
            }
            if listener.is_none() {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            continue;
        };
        match live.try_recv().await {
            Ok(Some(notification)) => match serde_json::from_str(notification.payload()) {
                Ok(notice) => feed.send(notice),
                Err(error) => tracing::warn!(%error, "a change notice that doesn't parse"),
            },
            // The connection dropped: the next call reconnects; what was sent meanwhile is lost.
            Ok(None) => {
                tracing::warn!("the LISTEN connection dropped; streams will resync");
                feed.send(Notice::Missed);
            }
            Err(error) => {
                tracing::warn!(%error, "listening for changes failed; streams will resync");
                feed.send(Notice::Missed);
                listener = None;
            }
        }
    }
}

impl Tx {
    /// Makes the transaction's changes permanent (PostgreSQL then delivers its notices).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Sends a notice when the transaction commits.
    async fn announce(&mut self, notice: Notice) -> Result<(), sqlx::Error> {
        notify(&mut *self.tx, &notice).await
    }

    /// Serialises changes to one publisher's partner access: seats, grants, multi-partner
    /// mode and requests of its workspaces all lock the publisher's team row first.
    pub async fn lock_publisher(&mut self, team_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT id FROM teams WHERE id = $1 FOR UPDATE")
            .bind(team_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Serialises changes to one team's membership and its digests.
    pub async fn lock_team(&mut self, team_id: &str) -> Result<(), sqlx::Error> {
        self.lock_publisher(team_id).await
    }

    /// Serialises the steps of one migration run: two servers carrying on the same run take
    /// turns, so no workspace is migrated twice and the run is finished once.
    pub async fn lock_run(&mut self, run_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT id FROM migration_runs WHERE id = $1 FOR UPDATE")
            .bind(run_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(())
    }
}

/// Leadership of one kind of scheduled job: a connection of its own holding a session-level
/// advisory lock. It lasts while the connection does: when the process dies, PostgreSQL
/// ends the session and the lock, and another server takes over at its next try.
pub struct Lead {
    conn: sqlx::PgConnection,
}

impl Store {
    /// Leadership of `job` if no other process holds it.
    pub async fn try_lead(&self, job: i64) -> Result<Option<Lead>, sqlx::Error> {
        use sqlx::Connection;
        // Detached from the pool: a lock of a pooled connection would outlive the leader.
        let mut conn = self.pool.acquire().await?.detach();
        let won: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(job)
            .fetch_one(&mut conn)
            .await?;
        if won {
            Ok(Some(Lead { conn }))
        } else {
            conn.close().await?;
            Ok(None)
        }
    }
}

impl Lead {
    /// Whether the leadership still holds (its connection answers).
    pub async fn holds(&mut self) -> bool {
        use sqlx::Connection;
        self.conn.ping().await.is_ok()
    }
}

include!("store/common.rs");
