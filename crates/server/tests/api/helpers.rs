use std::path::PathBuf;

use partner_server::{Application, Config};
use tempfile::TempDir;

/// A running server on a free port with its own temporary database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    // Dropped last: the database folder lives as long as the server.
    _dir: TempDir,
}

/// Options for [`spawn_app_with`].
#[derive(Default)]
pub struct Options {
    pub demo: bool,
    pub static_dir: Option<PathBuf>,
}

/// Starts a server on a fresh database without demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// Starts a server with the given options.
pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = Config::for_tests(dir.path().join("nested/partner.db"));
    config.demo = options.demo;
    config.static_dir = options.static_dir;
    let app = Application::build(config).await.expect("the server starts");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        client,
        _dir: dir,
    }
}

impl TestApp {
    /// An absolute URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }
}

/// Reads a JSON body, failing the test with the body text when it is not JSON.
pub async fn json(response: reqwest::Response) -> serde_json::Value {
    let text = response.text().await.expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
