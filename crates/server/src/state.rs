//! What every handler can reach.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;
use crate::email::Links;
use crate::jobs::Jobs;
use crate::partnerships_cache::PartnershipsCache;
use crate::rate_limit::SignInLimiter;

/// Shared, cheaply cloned server state.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub sign_in_limiter: SignInLimiter,
    /// Checked against when an email is unknown, so that answer takes as long as a
    /// wrong password.
    pub decoy_hash: Arc<str>,
    /// Absolute links for emails, from `--public-url`.
    pub links: Links,
    /// The background workers' handles (wake the email worker, serialise migrations).
    pub jobs: Jobs,
    /// Partnerships list pages already answered, served while still exact.
    pub partnerships_cache: PartnershipsCache,
}

impl AppState {
    /// Bundles the database and configuration.
    pub fn new(db: Db, config: Config) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            links: Links::new(&config.public_url),
            jobs: Jobs::default(),
            partnerships_cache: PartnershipsCache::new(config.list_cache_mb),
            config: Arc::new(config),
            sign_in_limiter: SignInLimiter::default(),
            decoy_hash: crate::domain::password::hash("decoy password, never valid")?.into(),
        })
    }
}
