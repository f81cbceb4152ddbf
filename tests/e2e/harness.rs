use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

use crate::database::{Database, postgres_server};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "partner-demo";

/// One test's world: servers with fresh demo data, chromedriver, and a browser session.
/// On SQLite (the default) one server; in cluster mode (`PARTNER_E2E_POSTGRES`) two servers
/// on a fresh PostgreSQL database behind nginx, so one page's requests go to both.
pub struct Env {
    /// Where the browser reaches the app: the server, or nginx in front of the servers.
    pub base: String,
    pub driver: WebDriver,
    servers: Vec<Child>,
    /// Each server's own address (behind nginx in cluster mode).
    ports: Vec<u16>,
    _nginx: Option<Child>,
    _chromedriver: Child,
    database: Database,
    dir: TempDir,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `partner-server` binary the tests run (`PARTNER_SERVER_BIN`, or the debug build).
pub fn server_bin() -> PathBuf {
    let server_bin = std::env::var_os("PARTNER_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/debug/partner-server"));
    assert!(
        server_bin.exists(),
        "no {}: run `cargo build -p partner-server`",
        server_bin.display()
    );
    server_bin
}

/// nginx (`NGINX`, or Debian's, which is not on every user's PATH).
fn nginx_bin() -> PathBuf {
    std::env::var_os("NGINX")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let debian = PathBuf::from("/usr/sbin/nginx");
            if debian.exists() {
                debian
            } else {
                "nginx".into()
            }
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `url` until it answers 2xx, or fails after `timeout`.
async fn wait_for_http(url: &str, timeout: Duration, child: &mut Child, what: &str) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(response) = client.get(url).send().await
            && response.status().is_success()
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early with {status}");
        }
        assert!(
            Instant::now() < deadline,
            "{what} did not answer at {url} in {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts nginx on `port`, balancing over the servers on `upstreams`, with its config, logs
/// and temp files in `prefix` (the config is scripts/nginx-balancer.sh's, as dev-cluster.sh's).
async fn start_nginx(prefix: &Path, port: u16, upstreams: &[u16]) -> Child {
    std::fs::create_dir_all(prefix).unwrap();
    let config = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/nginx-balancer.sh"))
        .arg(port.to_string())
        .args(upstreams.iter().map(u16::to_string))
        .output()
        .expect("scripts/nginx-balancer.sh runs");
    assert!(config.status.success(), "nginx-balancer.sh: {config:?}");
    let conf = prefix.join("nginx.conf");
    std::fs::write(&conf, config.stdout).unwrap();
    // Its error log (a killed server's refused connections) goes to a file, not the
    // test's output.
    let log = std::fs::File::create(prefix.join("error.log")).unwrap();
    // One process, no master: the test ends it with SIGKILL (kill_on_drop), which a master
    // cannot pass on, and its workers would be left behind holding the port.
    let mut nginx = Command::new(nginx_bin())
        .args(["-g", "master_process off;", "-e", "stderr", "-p"])
        .arg(prefix)
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", nginx_bin().display()));
    let health = format!("http://127.0.0.1:{port}/api/health");
    wait_for_http(&health, Duration::from_secs(30), &mut nginx, "nginx").await;
    nginx
}

impl Env {
    /// Starts everything; the `dist/` of `trunk build` and the server binary must exist
    /// (scripts/test.sh builds both first).
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts everything with more `partner-server` options (e.g. a shorter digest window),
    /// given to every server.
    pub async fn start_with(server_args: &[&str]) -> Self {
        let servers = if postgres_server().is_some() { 2 } else { 1 };
        Self::start_servers(servers, server_args).await
    }

    /// Starts `count` servers on one database; more than one get nginx in front, balancing
    /// round-robin without sticky sessions (and trust it for the client's address).
    pub async fn start_servers(count: usize, server_args: &[&str]) -> Self {
        let root = repo_root();
        let dist = root.join("dist");
        assert!(
            dist.join("index.html").exists(),
            "no dist/: run `trunk build --release` first (scripts/test.sh does)"
        );
        let server_bin = server_bin();

        let dir = tempfile::tempdir().unwrap();
        let database = Database::fresh(dir.path(), postgres_server().as_deref()).await;
        let ports: Vec<u16> = (0..count).map(|_| free_port()).collect();
        let balancer = (count > 1).then(free_port);
        let base = format!("http://127.0.0.1:{}", balancer.unwrap_or(ports[0]));
        // The servers behind one balancer share the sign-in throttle's budget.
        let sign_in_servers = count.to_string();

        // All at once, each with --demo: the demo data is loaded once whoever comes first.
        let mut servers = Vec::new();
        for port in &ports {
            let addr = format!("127.0.0.1:{port}");
            let mut args = vec![
                "--demo",
                "--addr",
                &addr,
                "--database",
                database.url(),
                "--static-dir",
                dist.to_str().unwrap(),
                "--public-url",
                &base,
                // The demo's Refunds API stays legacy whatever the day: from the Professional
                // plan's date on, a scheduled migration would otherwise run at start-up.
                "--scheduled-migrations",
                "false",
            ];
            if balancer.is_some() {
                args.extend_from_slice(&[
                    "--trusted-proxy",
                    "127.0.0.1/32",
                    "--sign-in-servers",
                    &sign_in_servers,
                ]);
            }
            args.extend_from_slice(server_args);
            servers.push(spawn(&server_bin, &args));
        }
        for (server, port) in servers.iter_mut().zip(&ports) {
            wait_for_http(
                &format!("http://127.0.0.1:{port}/api/health"),
                Duration::from_secs(30),
                server,
                "partner-server",
            )
            .await;
        }
        let nginx = match balancer {
            Some(port) => Some(start_nginx(&dir.path().join("nginx"), port, &ports).await),
            None => None,
        };

        let (chromedriver, driver) = start_browser(&dir.path().join("profile")).await;

        Self {
            base,
            driver,
            servers,
            ports,
            _nginx: nginx,
            _chromedriver: chromedriver,
            database,
            dir,
        }
    }

    /// Opens a path of the app.
    pub async fn open(&self, path: &str) {
        self.driver
            .goto(format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// The current path and query.
    pub async fn path(&self) -> String {
        let url = self.driver.current_url().await.unwrap();
        let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
        format!("{}{query}", url.path())
    }

    /// Waits for the element with this role-like XPath and visible text.
    pub async fn find_text(&self, tag: &str, text: &str) -> WebElement {
        self.driver
            .query(By::XPath(format!(
                "//{tag}[contains(normalize-space(.), {})]",
                xpath_literal(text)
            )))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no <{tag}> with text {text:?}: {e}"))
    }

    /// Clicks the element [`Env::find_text`] finds, as a person clicks what they see: if the
    /// page renders it again between the find and the click (a list refreshed after a
    /// change, slower through a balancer), the new one is found and clicked.
    pub async fn click_text(&self, tag: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.find_text(tag, text).await.click().await {
                Ok(()) => return,
                Err(e)
                    if matches!(
                        e.as_inner(),
                        thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
                    ) && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("clicking <{tag}> {text:?}: {e}"),
            }
        }
    }

    /// The text of the element [`Env::find_text`] finds, read as a person reads what they
    /// see: if the page renders it again between the find and the read, the new one is read.
    pub async fn text_of(&self, tag: &str, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.find_text(tag, text).await.text().await {
                Ok(read) => return read,
                Err(e)
                    if matches!(
                        e.as_inner(),
                        thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
                    ) && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("reading <{tag}> {text:?}: {e}"),
            }
        }
    }

    /// Waits until the URL's path and query equal `expected`.
    pub async fn until_path(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = self.path().await;
            if path == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "URL stayed at {path}, expected {expected}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the button whose visible text is exactly `text`.
    pub async fn button(&self, text: &str) -> WebElement {
        self.driver
            .query(By::XPath(format!(
                "//button[normalize-space(.)={}]",
                xpath_literal(text)
            )))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no button {text:?}: {e}"))
    }

    /// Waits for the input labelled `label` (through `<label for>`).
    pub async fn field(&self, label: &str) -> WebElement {
        self.driver
            .query(By::XPath(format!(
                "//input[@id=//label[normalize-space(.)={}]/@for]",
                xpath_literal(label)
            )))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no field labelled {label:?}: {e}"))
    }

    /// Fills the sign-in form on the current page, the way a person does, and submits it.
    pub async fn submit_sign_in(&self, email: &str, password: &str) {
        self.field("Email").await.send_keys(email).await.unwrap();
        self.field("Password")
            .await
            .send_keys(password)
            .await
            .unwrap();
        self.button("Sign in").await.click().await.unwrap();
    }

    /// Signs in as a demo account through the real form, and waits until it lands where a
    /// sign-in without `next` goes (Workspaces).
    pub async fn sign_in(&self, email: &str) {
        self.open("/signin").await;
        self.submit_sign_in(email, DEMO_PASSWORD).await;
        self.until_path("/workspaces").await;
    }

    /// Opens the account menu of the top bar (Change password, Sign out).
    pub async fn open_account_menu(&self) {
        self.driver
            .query(By::Css(
                "[data-testid=account] button[aria-controls=account-menu]",
            ))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .expect("the account menu's button")
            .click()
            .await
            .unwrap();
        self.driver
            .query(By::Css("#account-menu:not([hidden])"))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .expect("the open account menu");
    }

    /// The HTTP status of `GET path` sent by the page, with the browser's own cookies.
    pub async fn api_status(&self, path: &str) -> u16 {
        let answer = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(arguments[0]).then(r => done(r.status), () => done(0));",
                vec![serde_json::json!(path)],
            )
            .await
            .unwrap();
        let status = answer.json().as_u64().expect("a status code");
        u16::try_from(status).unwrap()
    }

    /// Stops every server (the browser stays), as when the back end crashes or the network
    /// drops. In cluster mode nginx stays and answers 502, which the app reads the same way.
    pub async fn stop_server(&mut self) {
        for server in &mut self.servers {
            server.kill().await.expect("stopping partner-server");
        }
    }

    /// Kills server `index` with SIGKILL (no shutdown of any kind); the others carry on.
    pub async fn kill_server(&mut self, index: usize) {
        self.servers[index]
            .kill()
            .await
            .expect("killing partner-server");
    }

    /// The servers' database, for tests that set up what the app cannot.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// nginx's access log so far, one line per request: `... -> 127.0.0.1:PORT STATUS`
    /// naming the server that answered (empty with one server).
    pub fn balancer_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nginx/access.log")).unwrap_or_default()
    }

    /// An HTTP client outside the browser, signed in as a demo account (an API client).
    pub async fn api_client(&self, email: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let signed_in = client
            .post(format!("{}/api/session", self.base))
            .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
            .json(&serde_json::json!({ "email": email, "password": DEMO_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert!(
            signed_in.status().is_success(),
            "signing in {email}: {}",
            signed_in.status()
        );
        client
    }

    /// The id of one of Acme's workspaces, looked up through the API as Wanda: ids are
    /// generated afresh for every demo database.
    pub async fn acme_workspace_id(&self, name: &str) -> String {
        let client = self.api_client("wanda@acme.test").await;
        let list: serde_json::Value = client
            .get(format!("{}/api/workspaces?per_page=200", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("no workspace {name} in {list}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Signs in as someone else (a fresh page load after the cookies are gone starts
    /// signed out).
    pub async fn sign_in_as(&self, email: &str) {
        self.driver.delete_all_cookies().await.unwrap();
        self.sign_in(email).await;
    }

    /// Clicks what `by` finds now.
    pub async fn click(&self, by: By) {
        self.driver
            .find(by.clone())
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {by:?}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Fails if anything matches `by` now (a control this person may not use).
    pub async fn assert_none(&self, by: By) {
        let found = self.driver.find_all(by.clone()).await.unwrap();
        assert!(
            found.is_empty(),
            "{} × {by:?} should not be here",
            found.len()
        );
    }

    /// The visible text of the page's main area.
    pub async fn main_text(&self) -> String {
        self.driver
            .find(By::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits until nothing matches `by` (a row removed, a dialog closed).
    pub async fn until_none(&self, by: By) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.driver.find_all(by.clone()).await.unwrap().is_empty() {
            assert!(Instant::now() < deadline, "{by:?} is still there");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the first switch of the page is settled in `state` ("true"/"false").
    pub async fn until_switch(&self, state: &str) {
        self.until_switch_at(By::Css("[role=switch]"), state).await;
    }

    /// Waits until the switch `by` finds is settled (not busy) in `state`; it is found again
    /// each time, as the page may render it anew.
    pub async fn until_switch_at(&self, by: By, state: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let switch = self.driver.find(by.clone()).await.unwrap();
            let checked = switch.attr("aria-checked").await.unwrap();
            let busy = switch.attr("aria-busy").await.unwrap();
            if checked.as_deref() == Some(state) && busy.is_none() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the switch stayed aria-checked={checked:?} aria-busy={busy:?}, expected {state}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the element matching `css`.
    pub async fn css(&self, css: &str) -> WebElement {
        self.driver
            .query(By::Css(css))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Waits until the page's live update stream is open (the app marks `data-live="open"`
    /// on the document), so a change made elsewhere from now on reaches it.
    pub async fn until_live(&self) {
        self.driver
            .query(By::Css("html[data-live=open]"))
            .wait(Duration::from_secs(10), Duration::from_millis(20))
            .first()
            .await
            .expect("the live update stream opens");
    }

    /// One server's own address, not the balancer's (`index` 0 or 1 in cluster mode).
    pub fn server_url(&self, index: usize) -> String {
        format!("http://127.0.0.1:{}", self.ports[index])
    }

    /// How many servers serve the app (two in cluster mode).
    pub fn server_count(&self) -> usize {
        self.ports.len()
    }

    /// A second person's browser (a profile of its own) on the same servers, reaching the
    /// app at `base` (the balancer, or one server's own address).
    pub async fn another_browser(&self, base: String) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let (chromedriver, driver) = start_browser(&dir.path().join("profile")).await;
        Env {
            base,
            driver,
            servers: Vec::new(),
            ports: self.ports.clone(),
            _nginx: None,
            _chromedriver: chromedriver,
            database: self.database.clone(),
            dir,
        }
    }

    /// Ends the browser session (the processes end when `self` drops).
    pub async fn finish(self) {
        self.driver.clone().quit().await.unwrap();
    }
}

/// Starts chromedriver and a headless Chromium session with its own profile folder.
async fn start_browser(profile: &Path) -> (Child, WebDriver) {
    let driver_port = free_port();
    let chromedriver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let mut chromedriver = spawn(
        Path::new(&chromedriver_bin),
        &[&format!("--port={driver_port}")],
    );
    let driver_url = format!("http://127.0.0.1:{driver_port}");
    wait_for_http(
        &format!("{driver_url}/status"),
        Duration::from_secs(30),
        &mut chromedriver,
        "chromedriver",
    )
    .await;

    let mut caps = DesiredCapabilities::chrome();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display()))
        .unwrap();
    let driver = WebDriver::new(&driver_url, caps)
        .await
        .expect("a Chromium session");
    (chromedriver, driver)
}

fn spawn(program: &Path, args: &[&str]) -> Child {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()))
}

/// The user id of the partner called `name` in a workspace, read at `base` by `client`
/// (someone who sees the workspace's partners).
pub async fn partner_id(
    client: &reqwest::Client,
    base: &str,
    workspace: &str,
    name: &str,
) -> String {
    let members: serde_json::Value = client
        .get(format!("{base}/api/workspaces/{workspace}/members"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["name"] == name)
        .unwrap_or_else(|| panic!("no partner {name} in {members}"))["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Quotes a string for XPath (which has no escapes).
pub fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
