use std::path::{Path, PathBuf};

use partner_api::{CSRF_HEADER, CSRF_VALUE};
use partner_server::db::{DatabaseUrl, Db};
use partner_server::{Application, Config};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

/// A running server on a free port with its own temporary database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: DatabaseUrl,
    /// The server's state, to drive its background work directly (the scheduler's day).
    pub state: partner_server::AppState,
    /// Dropping it stops the server (its workers and its database connections with it).
    _stop: tokio::sync::oneshot::Sender<()>,
    // Dropped last: the database folder lives as long as the server.
    _dir: TempDir,
}

/// Options for [`spawn_app_with`].
#[derive(Default)]
pub struct Options {
    pub demo: bool,
    /// An existing database to serve (default: a fresh one, see [`fresh_database`]).
    pub database: Option<DatabaseUrl>,
    pub static_dir: Option<PathBuf>,
    /// Deliver emails to this SMTP server instead of the dev mailbox.
    pub smtp_url: Option<String>,
    /// The access-request digest window (default: the server's 60 s).
    pub digest_window: Option<std::time::Duration>,
    /// `--public-url` (default: the tests' plain-http one).
    pub public_url: Option<&'static str>,
    /// `--trusted-proxy` values (default: none, so forwarding headers are ignored).
    pub trusted_proxies: Vec<&'static str>,
    /// `--sign-in-servers` (default 1).
    pub sign_in_servers: Option<u32>,
}

/// Which backend the suite runs on: PostgreSQL when `PARTNER_TEST_POSTGRES` names a server
/// (`postgres://postgres@127.0.0.1:5432/postgres`, which may create databases), else SQLite.
pub fn postgres_server() -> Option<String> {
    std::env::var("PARTNER_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Whether the suite runs on PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_server().is_some()
}

/// A fresh, empty database for one test: a SQLite file in `dir`, or a new database on the
/// PostgreSQL server of `PARTNER_TEST_POSTGRES`.
pub async fn fresh_database(dir: &Path) -> DatabaseUrl {
    let Some(server) = postgres_server() else {
        return DatabaseUrl::Sqlite(dir.join("nested/partner.db"));
    };
    use sqlx::Connection;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("a test database");
    let base = server.split('?').next().unwrap_or(&server);
    let (root, _) = base
        .rsplit_once('/')
        .expect("a postgres URL with a database");
    DatabaseUrl::Postgres(format!("{root}/{name}"))
}

/// Starts a server on a fresh database without demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// Starts a server on a fresh database with the demo data of shared/API.md.
pub async fn spawn_demo() -> TestApp {
    spawn_app_with(Options {
        demo: true,
        ..Options::default()
    })
    .await
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// Starts a server with the given options.
pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = match options.database {
        Some(database) => database,
        None => fresh_database(dir.path()).await,
    };
    let mut config = Config::for_tests(database.clone());
    config.demo = options.demo;
    config.static_dir = options.static_dir;
    config.smtp_url = options.smtp_url;
    if let Some(window) = options.digest_window {
        config.digest_window = window;
    }
    if let Some(url) = options.public_url {
        config.public_url = url.into();
    }
    if let Some(servers) = options.sign_in_servers {
        config.sign_in_servers = servers;
    }
    config.trusted_proxies = options
        .trusted_proxies
        .iter()
        .map(|p| partner_server::client_ip::parse_network(p).expect("a proxy network"))
        .collect();
    let app = Application::build(config).await.expect("the server starts");
    let address = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        client: client(),
        database,
        state,
        _stop: stop,
        _dir: dir,
    }
}

/// The demo email of a persona ("paul" → "paul@acme.test").
pub fn email(login: &str) -> String {
    let domain = match login {
        "alice" | "paul" | "wanda" | "mike" => "acme.test",
        "hana" => "hooli.test",
        "gina" | "gary" | "gwen" | "ed" => "globex.test",
        "ivan" => "initech.test",
        "uma" => "umbrella.test",
        "sam" => "soylent.test",
        other => panic!("no demo persona {other}"),
    };
    format!("{login}@{domain}")
}

impl TestApp {
    /// An absolute URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GET a path without a session.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Session {
        Session {
            client: client(),
            base: self.address.clone(),
        }
    }

    /// Signs a demo persona in ("anon" stays signed out).
    pub async fn session(&self, login: &str) -> Session {
        let session = self.anonymous();
        if login == "anon" {
            return session;
        }
        let response = session
            .send(
                Method::POST,
                "/api/session",
                Some(serde_json::json!({ "email": email(login), "password": "partner-demo" })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{login} signs in");
        session
    }

    /// The server's database handle (for arranging states the API cannot reach).
    pub async fn db(&self) -> Db {
        self.state.db.clone()
    }

    /// Runs one statement (SQL both backends read, `?1`-style parameters bound as text).
    pub async fn sql(&self, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) {
        sql(&self.state.db, statement, binds).await;
    }
}

/// One browser-like client with its own cookies.
#[derive(Clone)]
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
}

impl Session {
    /// Sends a request with the CSRF header and an optional JSON body.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header(CSRF_HEADER, CSRF_VALUE);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the server answers")
    }

    /// GET and decode JSON, asserting 200.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.send(Method::GET, path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        json(response).await
    }

    /// The status of a request.
    pub async fn status(&self, method: Method, path: &str, body: Option<Value>) -> u16 {
        self.send(method, path, body).await.status().as_u16()
    }
}

/// Reads a JSON body, failing the test with the body text when it is not JSON.
pub async fn json(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The ids the demo data was given (they are random per database).
pub struct DemoIds {
    pub payments: String,
    pub fraud: String,
    pub refunds: String,
    pub internal: String,
    pub hooli_search: String,
    pub globex: String,
    pub initech: String,
    pub umbrella: String,
    pub gary: String,
    pub gina: String,
    pub ivan: String,
    pub uma: String,
    pub gary_request: String,
    pub acme: String,
    pub alice: String,
    pub mike: String,
    /// Acme's pending invitation for nora@acme.test.
    pub nora_invitation: String,
    /// Acme's open access review of Globex's grants (reviewer paul).
    pub review: String,
}

/// Looks the demo ids up through the API, as alice and hana.
pub async fn demo_ids(app: &TestApp) -> DemoIds {
    let alice = app.session("alice").await;
    let hana = app.session("hana").await;
    let acme = alice.get_json("/api/workspaces?tab=all").await;
    let hooli = hana.get_json("/api/workspaces?tab=all").await;
    let workspace = |list: &Value, name: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("workspace {name}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let teams = alice.get_json("/api/partnerships").await;
    let team = |name: &str| {
        teams["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"]["name"] == name)
            .unwrap_or_else(|| panic!("partner team {name}"))["team"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let payments = workspace(&acme, "Payments API");
    let fraud = workspace(&acme, "Fraud Signals");
    let members_p = alice
        .get_json(&format!("/api/workspaces/{payments}/members"))
        .await;
    let members_f = alice
        .get_json(&format!("/api/workspaces/{fraud}/members"))
        .await;
    let partner = |members: &Value, login: &str| {
        members["partners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["user"]["email"] == email(login))
            .unwrap_or_else(|| panic!("partner {login}"))["user"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let requests = alice.get_json("/api/access-requests").await;
    let acme_people = alice.get_json("/api/team/members").await;
    let person = |login: &str| {
        acme_people["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["user"]["email"] == email(login))
            .unwrap_or_else(|| panic!("member {login}"))["user"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    DemoIds {
        acme: alice.get_json("/api/team").await["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        nora_invitation: alice.get_json("/api/team/invitations").await["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        alice: person("alice"),
        mike: person("mike"),
        refunds: workspace(&acme, "Refunds API"),
        internal: workspace(&acme, "Internal Tools"),
        hooli_search: workspace(&hooli, "Hooli Search API"),
        globex: team("Globex"),
        initech: team("Initech"),
        umbrella: team("Umbrella"),
        gary: partner(&members_p, "gary"),
        gina: partner(&members_p, "gina"),
        ivan: partner(&members_p, "ivan"),
        uma: partner(&members_f, "uma"),
        gary_request: requests["items"][0]["id"].as_str().unwrap().to_owned(),
        review: alice.get_json("/api/reviews").await["items"][0]["id"]
            .as_str()
            .expect("the demo's access review")
            .to_owned(),
        payments,
        fraud,
    }
}

/// Polls `check` until it returns `Some`, failing the test after `seconds`.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {seconds} s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

impl TestApp {
    /// The dev mailbox, newest first (up to 200 emails).
    pub async fn mailbox(&self) -> Vec<Value> {
        let response = self.get("/api/dev/mailbox?per_page=200").await;
        assert_eq!(response.status(), StatusCode::OK, "the dev mailbox answers");
        json(response).await["items"]
            .as_array()
            .expect("items")
            .clone()
    }

    /// Waits until the dev mailbox holds `count` delivered emails and returns them.
    pub async fn delivered(&self, count: usize) -> Vec<Value> {
        eventually(10, &format!("{count} delivered emails"), || async {
            let emails = self.mailbox().await;
            let delivered = emails.iter().all(|e| e["sent_at"].is_string());
            (emails.len() >= count && delivered).then_some(emails)
        })
        .await
    }
}

/// Runs one statement on `db` (SQL both backends read; `?1`-style parameters, bound as text).
pub async fn sql(db: &Db, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) {
    let statement = db.sql(statement);
    partner_server::on_pool!(db, pool => {
        let mut query = sqlx::query(&statement);
        for bind in binds {
            query = query.bind(bind.as_ref());
        }
        query
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    });
}

/// The first column of every row a statement answers, on `db` (`?1`-style parameters,
/// bound as text).
async fn column<T>(db: &Db, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) -> Vec<T>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Send
        + Unpin,
{
    let statement = db.sql(statement);
    partner_server::on_pool!(db, pool => {
        let mut query = sqlx::query_scalar::<_, T>(&statement);
        for bind in binds {
            query = query.bind(bind.as_ref());
        }
        query
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    })
}

/// The number a statement answers (a count), on `db`.
pub async fn count(db: &Db, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) -> i64 {
    let values = column(db, statement, binds).await;
    *values
        .first()
        .unwrap_or_else(|| panic!("no row: {statement}"))
}

/// The text a statement answers, on `db`.
pub async fn text(db: &Db, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) -> String {
    let values: Vec<String> = column(db, statement, binds).await;
    values
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no row: {statement}"))
}

/// The texts of a one-column statement, on `db`.
pub async fn texts(db: &Db, statement: &str, binds: &[&(dyn AsRef<str> + Sync)]) -> Vec<String> {
    column(db, statement, binds).await
}

/// Makes every `event` (`INSERT`, `UPDATE OF column`) on `table` whose row has `condition`
/// (over `NEW`) fail with "injected failure", as a full disk or a bad row would; undone by
/// [`heal`]. A trigger on either backend.
pub async fn inject_failure(db: &Db, name: &str, event: &str, table: &str, condition: &str) {
    if on_postgres() {
        sql(
            db,
            &format!(
                "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            ),
            &[],
        )
        .await;
        sql(
            db,
            &format!(
                "CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW
             WHEN ({condition}) EXECUTE FUNCTION {name}()"
            ),
            &[],
        )
        .await;
    } else {
        sql(
            db,
            &format!(
                "CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {condition}
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            ),
            &[],
        )
        .await;
    }
}

/// Removes the failure [`inject_failure`] made.
pub async fn heal(db: &Db, name: &str, table: &str) {
    if on_postgres() {
        sql(db, &format!("DROP TRIGGER {name} ON {table}"), &[]).await;
        sql(db, &format!("DROP FUNCTION {name}()"), &[]).await;
    } else {
        sql(db, &format!("DROP TRIGGER {name}"), &[]).await;
    }
}

/// SQL for 32 random bytes, in the test's backend.
pub fn random_blob() -> &'static str {
    if on_postgres() {
        "decode(md5(random()::text) || md5(random()::text), 'hex')"
    } else {
        "randomblob(32)"
    }
}

/// The blobs of a one-column statement, on `db`.
pub async fn blobs(db: &Db, statement: &str) -> Vec<Vec<u8>> {
    let statement = db.sql(statement);
    partner_server::on_pool!(db, pool => {
        sqlx::query_scalar::<_, Vec<u8>>(&statement)
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    })
}

/// Holds the database's write lock (SQLite) or the outbox table's (PostgreSQL) until the
/// returned sender is dropped or fired: the server's next write waits, as behind a slow
/// transaction of another process.
pub async fn hold_write_lock(db: &Db) -> tokio::sync::oneshot::Sender<()> {
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let (held, is_held) = tokio::sync::oneshot::channel::<()>();
    let db = db.clone();
    tokio::spawn(async move {
        match db.pools() {
            partner_server::db::Pools::Sqlite(pool) => {
                let tx = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
                let _ = held.send(());
                let _ = released.await;
                tx.rollback().await.unwrap();
            }
            partner_server::db::Pools::Postgres(pool) => {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("LOCK TABLE email_outbox IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                let _ = held.send(());
                let _ = released.await;
                tx.rollback().await.unwrap();
            }
        }
    });
    is_held.await.expect("the lock is taken");
    release
}

/// The rows of a statement as tuples, on `db` (each column's Rust type must read the
/// column on both backends: `i64` for counts, `bool` for flags, `Option<String>`…).
pub async fn rows<T>(db: &Db, statement: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let statement = db.sql(statement);
    partner_server::on_pool!(db, pool => {
        sqlx::query_as::<_, T>(&statement)
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    })
}
