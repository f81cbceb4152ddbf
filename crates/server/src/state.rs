//! What every handler can reach.

use std::sync::Arc;

use crate::client_ip::TrustedProxies;
use crate::config::Config;
use crate::db::Db;
use crate::domain::session_token::CookieSpec;
use crate::email::Links;
use crate::hash_pool::HashPool;
use crate::jobs::handles::Jobs;
use crate::partnerships_cache::PartnershipsCache;
use crate::rate_limit::SignInLimiter;

/// Shared, cheaply cloned server state.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub sign_in_limiter: SignInLimiter,
    /// Password hashing, a bounded number at a time.
    pub hash_pool: HashPool,
    /// The session cookie's name and flags (`__Host-` and Secure on https).
    pub session_cookie: CookieSpec,
    /// Whose forwarding headers name the client.
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Checked against when an email is unknown, so that answer takes as long as a
    /// wrong password.
    pub decoy_hash: Arc<str>,
    /// Absolute links for emails, from `--public-url`.
    pub links: Links,
    /// The background workers' handles (wake the email worker, serialise migrations).
    pub jobs: Jobs,
    /// Partnerships list pages already answered, served while still exact.
    pub partnerships_cache: PartnershipsCache,
    /// SSO sign-ins each client may start.
    pub sso_starts: crate::rate_limit::ClientBudget,
    /// The OpenID Connect relying party (teams' identity providers).
    pub oidc: crate::oidc::Oidc,
    /// Seals and opens secrets at rest (`None`: no SSO provider can be set up).
    pub secret_key: Option<crate::secrets::SecretKey>,
    /// The open live update streams of this server.
    pub live: crate::live::Hub,
}

impl AppState {
    /// Bundles the database and configuration.
    pub fn new(db: Db, config: Config) -> anyhow::Result<Self> {
        Ok(Self {
            db,
            links: Links::new(&config.public_url),
            jobs: Jobs::default(),
            partnerships_cache: PartnershipsCache::new(config.list_cache_mb),
            hash_pool: HashPool::new(
                config
                    .hash_concurrency
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
            ),
            trusted_proxies: Arc::new(config.trusted()),
            session_cookie: CookieSpec::for_public_url(&config.public_url),
            sign_in_limiter: SignInLimiter::default().shared_by(config.sign_in_servers),
            sso_starts: crate::rate_limit::ClientBudget::sso_starts(config.sign_in_servers),
            oidc: crate::oidc::Oidc::new(config.oidc_allow_local || config.demo)?,
            secret_key: config.sealing_key(),
            live: crate::live::Hub::new(config.max_streams),
            config: Arc::new(config),
            decoy_hash: crate::domain::password::hash("decoy password, never valid")?.into(),
        })
    }
}
