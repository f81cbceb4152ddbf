//! Logging set-up: `RUST_LOG` decides, with a useful default.

use tracing_subscriber::EnvFilter;

/// Installs the global tracing subscriber (once; later calls do nothing).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("partner_server=info,tower_http=info,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
