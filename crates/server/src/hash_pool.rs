//! Password hashing off the async threads, a bounded number at a time.
//!
//! One argon2 hash holds ~19 MiB for tens of milliseconds. Unbounded, a flood of sign-ins
//! would run as many at once as the blocking pool has threads (512) — gigabytes. Here at
//! most `concurrent` run (one per core by default), a few more requests may wait briefly
//! for a turn, and the rest are refused at once with 429 and Retry-After.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::domain::password;
use crate::error::AppError;

/// How long a request waits for a turn before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// Requests that may wait for a turn, per hash that may run.
const WAITING_PER_PERMIT: usize = 8;

/// The hashing pool (cheap to clone).
#[derive(Clone)]
pub struct HashPool {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
}

/// Counts a waiting request while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashPool {
    /// A pool that runs at most `concurrent` hashes at once (at least one).
    pub fn new(concurrent: usize) -> Self {
        let concurrent = concurrent.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrent)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: concurrent * WAITING_PER_PERMIT,
        }
    }

    /// Whether `password` matches the PHC string `phc`.
    pub async fn verify(&self, password: String, phc: String) -> Result<bool, AppError> {
        self.run(move || password::verify(&password, &phc)).await
    }

    /// A fresh argon2id hash of `password`.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || password::hash(&password))
            .await?
            .map_err(AppError::Internal)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(busy());
                }
                let _waiting = Waiting(self.waiting.clone());
                tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned())
                    .await
                    .map_err(|_| busy())?
                    .map_err(|e| AppError::Internal(e.into()))?
            }
        };
        // The permit moves into the blocking task: it is held until the hash is done, even
        // when the request that asked for it has gone away.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))
    }
}

fn busy() -> AppError {
    AppError::Busy {
        retry_after: Duration::from_secs(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_running_and_waiting_hashes_requests_are_refused() {
        let pool = HashPool::new(1);
        let (release, released) = std::sync::mpsc::channel::<()>();
        let blocked = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = released.recv();
                })
                .await
            })
        };
        // Wait until the blocking task holds the only permit.
        while pool.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let waiters: Vec<_> = (0..WAITING_PER_PERMIT)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(|| ()).await })
            })
            .collect();
        while pool.waiting.load(Ordering::Acquire) < WAITING_PER_PERMIT {
            tokio::task::yield_now().await;
        }
        let refused = pool.run(|| ()).await;
        assert!(matches!(refused, Err(AppError::Busy { .. })), "{refused:?}");

        release.send(()).unwrap();
        blocked.await.unwrap().unwrap();
        for waiter in waiters {
            waiter.await.unwrap().unwrap();
        }
        assert_eq!(pool.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn hashes_verify() {
        let pool = HashPool::new(2);
        let phc = pool.hash("correct horse".into()).await.unwrap();
        assert!(
            pool.verify("correct horse".into(), phc.clone())
                .await
                .unwrap()
        );
        assert!(!pool.verify("wrong".into(), phc).await.unwrap());
    }
}
