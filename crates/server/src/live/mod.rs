//! Live updates: the open event streams of this server (`GET /api/events`), and the task that
//! turns the changes every server commits into events for them ([`fan_out`]).
//!
//! A stream is registered with its session; the [`Hub`] caps how many are open (per session,
//! per server) and hands each a bounded queue. Sending never waits: a stream whose queue is
//! full is marked lagged and told to resync when it catches up, so a slow browser never
//! holds up the others.

mod fan_out;
mod hub;
mod lookups;
mod replay;

pub use fan_out::{fan_out, sweep};
pub use hub::{Entry, Hub, Out, STREAMS_PER_SESSION, SessionKey, Subscription};
pub use replay::replay;

use crate::db::{Db, Notice};

/// Tells every server that someone's session (or a view made from it) ended, so its
/// streams end now rather than at the next sweep. Best effort: the sweep catches up.
pub async fn signed_out(db: &Db, user_id: &str) {
    let notice = Notice::SignedOut {
        user_id: user_id.to_owned(),
    };
    if let Err(error) = db.announce(notice).await {
        tracing::warn!(%error, "could not announce a sign-out to the live streams");
    }
}
