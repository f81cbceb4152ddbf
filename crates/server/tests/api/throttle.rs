//! Sign-in throttling over real HTTP: someone else's failures never lock the owner out,
//! clients behind a trusted proxy have budgets of their own (and nobody else can pretend
//! to be behind one), and a flood of sign-ins keeps the server's memory bounded.

use std::process::{Command, Stdio};
use std::time::Duration;

use partner_api::{CSRF_HEADER, CSRF_VALUE};
use reqwest::header;
use serde_json::{Value, json};

use crate::helpers::{Options, TestApp, email, eventually, json, spawn_app_with};

/// Signs in as `login` with `password`, the request arriving from `client` (an
/// X-Forwarded-For value, which the server reads only from a trusted proxy).
async fn attempt(app: &TestApp, login: &str, password: &str, client: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/session"))
        .header(CSRF_HEADER, CSRF_VALUE)
        .header("x-forwarded-for", client)
        .json(&json!({ "email": email(login), "password": password }))
        .send()
        .await
        .expect("the server answers")
}

/// Asserts a 429 that says, in its header and in its JSON body, when to try again.
async fn assert_throttled(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=3600).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "rate_limited");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("Try again in"), "{message}");
    body
}

/// Fails `login`'s sign-in from `client` until the server throttles it, and returns that 429.
async fn fail_until_throttled(app: &TestApp, login: &str, client: &str) -> reqwest::Response {
    for _ in 0..50 {
        let response = attempt(app, login, "guess", client).await;
        if response.status() == 429 {
            return response;
        }
        assert_eq!(response.status(), 401, "a wrong password from {client}");
    }
    panic!("50 wrong passwords from {client} were never throttled");
}

async fn behind_proxy() -> TestApp {
    spawn_app_with(Options {
        demo: true,
        trusted_proxies: vec!["127.0.0.1"],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn an_attack_on_an_account_from_elsewhere_does_not_lock_its_owner_out() {
    let app = behind_proxy().await;
    let attacker = "203.0.113.9";
    assert_throttled(fail_until_throttled(&app, "gina", attacker).await).await;
    // Even the right password is refused to the client that has been failing...
    assert_eq!(
        attempt(&app, "gina", "partner-demo", attacker)
            .await
            .status(),
        429
    );
    // ...while gina, from where she signs in, gets in at once.
    let response = attempt(&app, "gina", "partner-demo", "198.51.100.7").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_two_clients_have_separate_budgets() {
    let app = behind_proxy().await;
    let first = "203.0.113.9";
    fail_until_throttled(&app, "gary", first).await;
    // Another client of the same proxy, on the same account, still has its own budget.
    let second = "198.51.100.7";
    assert_eq!(attempt(&app, "gary", "guess", second).await.status(), 401);
    assert_eq!(
        attempt(&app, "gary", "partner-demo", second).await.status(),
        200
    );
    // IPv6 clients are one client per /64: a new address in the same /64 is no way out.
    let v6 = "2001:db8:1:2::1";
    fail_until_throttled(&app, "gary", v6).await;
    assert_throttled(attempt(&app, "gary", "guess", "2001:db8:1:2:ffff::9").await).await;
    assert_eq!(
        attempt(&app, "gary", "guess", "2001:db8:1:3::1")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    // No trusted proxy: every request is the TCP peer, whatever it claims.
    let app = spawn_app_with(Options {
        demo: true,
        ..Options::default()
    })
    .await;
    for n in 0..5 {
        let claimed = format!("203.0.113.{n}");
        assert_eq!(attempt(&app, "gina", "guess", &claimed).await.status(), 401);
    }
    assert_throttled(attempt(&app, "gina", "guess", "198.51.100.99").await).await;
    // The throttle is per account: other people from the same address still sign in.
    assert_eq!(
        attempt(&app, "gary", "partner-demo", "198.51.100.99")
            .await
            .status(),
        200
    );
}

/// The resident and peak memory of a process, in KiB (Linux).
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[tokio::test]
async fn a_flood_of_sign_ins_keeps_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_partner-server"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--demo"])
        .arg("--database")
        .arg(dir.path().join("flood.db"))
        .args(["--scheduled-migrations", "false", "--hash-concurrency", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the partner-server binary starts");
    let pid = server.id();
    eventually(30, "the server to answer", || async {
        reqwest::get(format!("{base}/api/health"))
            .await
            .ok()
            .filter(|r| r.status().is_success())
    })
    .await;
    let sign_in = |login: &'static str| {
        let url = format!("{base}/api/session");
        async move {
            reqwest::Client::new()
                .post(url)
                .header(CSRF_HEADER, CSRF_VALUE)
                .json(&json!({ "email": email(login), "password": "partner-demo" }))
                .send()
                .await
                .expect("the server answers")
        }
    };
    // Warm up: the first hashes' memory, the connection pool, the allocator's arenas.
    for login in ["alice", "paul", "gina"] {
        assert_eq!(sign_in(login).await.status(), 200);
    }
    let (warm_rss, _) = memory_kib(pid);

    // 400 correct sign-ins at once (correct: no failure throttling, every one wants a hash).
    let logins = [
        "alice", "paul", "wanda", "mike", "gina", "gary", "ivan", "uma",
    ];
    let flood: Vec<_> = (0..400)
        .map(|n| tokio::spawn(sign_in(logins[n % logins.len()])))
        .collect();
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        for _ in 0..200 {
            peak = peak.max(memory_kib(pid).0);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        peak
    });
    let (mut ok, mut busy, mut other) = (0, 0, Vec::new());
    for request in flood {
        let response = request.await.unwrap();
        match response.status().as_u16() {
            200 => ok += 1,
            429 => {
                busy += 1;
                let body = assert_throttled(response).await;
                assert!(
                    body["error"]["message"].as_str().unwrap().contains("busy"),
                    "{body}"
                );
            }
            status => other.push(status),
        }
    }
    let sampled = sampler.await.unwrap();
    let (_, peak) = memory_kib(pid);
    server.kill().unwrap();
    server.wait().unwrap();

    println!(
        "flood: {ok} signed in, {busy} told to retry; RSS {warm_rss} KiB warm, peak {} KiB",
        peak.max(sampled)
    );
    // Two hashes of ~19 MiB run at once; allow for the requests and their buffers.
    let grown = peak.max(sampled).saturating_sub(warm_rss);
    assert!(
        grown < 120 * 1024,
        "memory grew by {grown} KiB during the flood (warm {warm_rss} KiB)"
    );
    assert!(other.is_empty(), "sign-ins answered {other:?}");
    assert!(ok > 0, "the server kept signing people in");
    assert!(
        busy > 0,
        "400 at once is more than 2 hashes and their queue"
    );
}
