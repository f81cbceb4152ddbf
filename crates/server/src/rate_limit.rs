//! Sign-in attempt limits, per email and per client address.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// Attempts allowed per email address per minute.
const PER_EMAIL_PER_MINUTE: u32 = 10;
/// Attempts allowed per client address per minute (several people may share one).
const PER_ADDRESS_PER_MINUTE: u32 = 60;

/// The sign-in limiter shared by all requests.
#[derive(Clone)]
pub struct SignInLimiter {
    by_email: Arc<DefaultKeyedRateLimiter<String>>,
    by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("a non-zero quota"));
        Self {
            by_email: Arc::new(RateLimiter::keyed(quota(PER_EMAIL_PER_MINUTE))),
            by_address: Arc::new(RateLimiter::keyed(quota(PER_ADDRESS_PER_MINUTE))),
            clock: DefaultClock::default(),
        }
    }
}

impl SignInLimiter {
    /// Counts one attempt; 429 with the wait when either limit is reached.
    pub fn check(&self, email: &str, address: IpAddr) -> Result<(), AppError> {
        let now = self.clock.now();
        let wait = |not_until: governor::NotUntil<_>| AppError::RateLimited {
            retry_after: not_until.wait_time_from(now).max(Duration::from_secs(1)),
        };
        self.by_address.check_key(&address).map_err(wait)?;
        self.by_email
            .check_key(&email.trim().to_lowercase())
            .map_err(wait)?;
        Ok(())
    }

    /// Forgets idle keys so the maps do not grow without bound.
    pub fn retain_recent(&self) {
        self.by_email.retain_recent();
        self.by_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_limited_whatever_its_case() {
        let limiter = SignInLimiter::default();
        let address: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..PER_EMAIL_PER_MINUTE {
            limiter.check("gina@globex.test", address).unwrap();
        }
        let error = limiter.check("GINA@globex.test", address).unwrap_err();
        assert!(
            matches!(error, AppError::RateLimited { retry_after } if retry_after >= Duration::from_secs(1))
        );
        // Someone else from the same address can still sign in.
        limiter.check("gary@globex.test", address).unwrap();
    }
}
