//! The handles request handlers use to reach the background work (kept in the server's
//! state): waking the email worker, and which migration runs this process is carrying out.

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

/// Handles the request handlers use to reach the background work.
#[derive(Clone, Default)]
pub struct Jobs {
    pub(super) wake: Arc<Notify>,
    /// Migration steps of this process take turns (SQLite has one writer): runs of
    /// several teams go on side by side, workspace by workspace, instead of waiting on
    /// the database's lock.
    pub(super) migration_turn: Arc<Mutex<()>>,
    /// Runs being carried out by this process, so none is carried out twice at once.
    executing: Arc<std::sync::Mutex<HashSet<String>>>,
}

impl Jobs {
    /// Tells the email worker that the outbox has something new.
    pub fn wake_email_worker(&self) {
        self.wake.notify_one();
    }

    /// Holds every migration run of this process before its next step until the guard is
    /// dropped (tests use it to look at a run that has started and not moved yet).
    pub async fn pause_migrations(&self) -> OwnedMutexGuard<()> {
        self.migration_turn.clone().lock_owned().await
    }

    /// Claims a run for this process; `None` when it is already being carried out here.
    pub(super) fn claim(&self, run_id: &str) -> Option<RunClaim> {
        let mut executing = self
            .executing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        executing.insert(run_id.to_owned()).then(|| RunClaim {
            run_id: run_id.to_owned(),
            executing: self.executing.clone(),
        })
    }
}

/// A run this process is carrying out; released when dropped (finished, failed, or the
/// task stopped).
pub(super) struct RunClaim {
    pub(super) run_id: String,
    executing: Arc<std::sync::Mutex<HashSet<String>>>,
}

impl Drop for RunClaim {
    fn drop(&mut self) {
        self.executing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.run_id);
    }
}
