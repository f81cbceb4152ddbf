//! The Partner Workspaces server: the JSON API of `shared/API.md` over SQLite, and
//! optionally the built web app.

pub mod client_ip;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod hash_pool;
pub mod jobs;
pub mod live;
pub mod oidc;
pub mod partnerships_cache;
pub mod rate_limit;
pub mod routes;
pub mod secrets;
pub mod service;
pub mod state;
pub mod static_files;
pub mod telemetry;

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

pub use config::Config;
pub use error::AppError;
pub use state::AppState;

/// A server that is bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    transport: email::delivery::Transport,
}

impl Application {
    /// Opens (and migrates) the database, loads demo data if asked, and binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        if let Some(dir) = &config.static_dir {
            anyhow::ensure!(
                dir.join("index.html").is_file(),
                "--static-dir {}: no index.html there (run `trunk build --release` first)",
                dir.display()
            );
        }
        let db = db::Db::open(config.database.clone()).await?;
        if config.demo {
            db.load_demo().await.context("loading the demo data")?;
            service::sso::load_demo_provider(&db, &config)
                .await
                .context("setting up the demo's identity provider")?;
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("binding {}", config.addr))?;
        let transport = email::delivery::Transport::from_config(&config)?;
        let state = AppState::new(db, config)?;
        Ok(Self {
            listener,
            router: routes::app(state.clone()),
            state,
            transport,
        })
    }

    /// The address the server listens on (useful when the port was 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The shared state (the tests use it to drive background work directly).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Starts the background workers and serves until `shutdown` completes; then finishes
    /// the requests in flight and stops the workers.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr(), "listening");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let workers = jobs::spawn(self.state.clone(), self.transport, stopped);
        // Open event streams never finish by themselves: they end when shutdown begins, so
        // the graceful shutdown can finish (the browsers reconnect elsewhere).
        let live = self.state.live.clone();
        let shutdown = async move {
            shutdown.await;
            live.close();
        };
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving");
        let _ = stop.send(true);
        for worker in workers {
            if tokio::time::timeout(std::time::Duration::from_secs(10), worker)
                .await
                .is_err()
            {
                tracing::warn!("a background worker did not stop within 10 s");
            }
        }
        served
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
