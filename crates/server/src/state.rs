//! What every handler can reach.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;

/// Shared, cheaply cloned server state.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

impl AppState {
    /// Bundles the database and configuration.
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
        }
    }
}
