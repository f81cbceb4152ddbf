//! A bounded load test over loopback: 64 connections of mixed reads and writes for 60 s
//! (`PARTNER_LOAD_SECS` to change), with no error, then every write read back, every email
//! delivered once to a real SMTP listener and the Editor seats within the plan. It takes a
//! minute, so `cargo test` skips it; scripts/test.sh runs it as its own step (on SQLite,
//! and on two servers sharing PostgreSQL with `PARTNER_LOAD_SERVERS=2`):
//!
//! ```sh
//! cargo test -p partner-server --test api -- --ignored load --nocapture
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use partner_server::domain::session_token;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Options, count, eventually, fresh_database, spawn_app_with, text};
use crate::smtp_listener::SmtpListener;
use crate::stream_holders::{StreamHolders, rss_mb, watchers};
use crate::summaries::assert_exact;

/// Concurrent clients, each on its own connection.
const CONNECTIONS: usize = 64;

/// Where one client's partner team stands; only that client changes it, so the end state
/// is known exactly.
#[derive(Debug, Clone, Default)]
struct Expected {
    /// Person 1 and person 2 of the team are partners in Payments API / Fraud Signals.
    p1_payments: bool,
    p2_payments: bool,
    p1_fraud: bool,
    p2_fraud: bool,
    /// Person 1's access to Refunds API, asked for and decided over and over.
    refunds: Refunds,
    /// Every request person 1 made, with the status it must end with.
    requests: BTreeMap<String, &'static str>,
}

#[derive(Debug, Clone, Default, PartialEq)]
enum Refunds {
    #[default]
    None,
    Pending(String),
    Granted,
}

/// One client: its connection, and the people it acts as.
struct Client {
    http: reqwest::Client,
    base: String,
    alice: String,
    paul: String,
    p1: String,
    p1_id: String,
    p2_id: String,
    p2_email: String,
    team_id: String,
}

struct Ids {
    payments: String,
    fraud: String,
    refunds: String,
}

#[derive(Default)]
struct Tally {
    reads: u64,
    writes: u64,
    errors: Vec<String>,
}

impl Client {
    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value), String> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", format!("pw_session={token}"))
            .header("x-requested-with", "partner-workspaces");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| format!("{method} {path}: not JSON: {e}"))?
        };
        Ok((status, body))
    }

    /// A call that must answer `expected`.
    async fn expect(
        &self,
        tally: &mut Tally,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        expected: u16,
    ) -> Option<Value> {
        match self.call(token, method.clone(), path, body).await {
            Ok((status, body)) if status.as_u16() == expected => Some(body),
            Ok((status, body)) => {
                tally.errors.push(format!(
                    "{method} {path}: {status}, expected {expected}: {body}"
                ));
                None
            }
            Err(error) => {
                tally.errors.push(error);
                None
            }
        }
    }
}

/// The reads people make while others write, in turn.
fn read(client: &Client, ids: &Ids, n: u64) -> (String, String) {
    let (token, path) = match n % 10 {
        0 => (&client.paul, "/api/partnerships?per_page=50".to_owned()),
        1 => (
            &client.paul,
            "/api/partnerships?q=gen0&sort=-last_active&page=2".to_owned(),
        ),
        2 => (
            &client.alice,
            format!("/api/workspaces/{}/members", ids.payments),
        ),
        3 => (&client.p1, "/api/workspaces?tab=shared_partner".to_owned()),
        4 => (&client.alice, "/api/access-requests?per_page=20".to_owned()),
        5 => (&client.paul, "/api/seats".to_owned()),
        6 => (
            &client.paul,
            format!("/api/partnerships/{}", client.team_id),
        ),
        7 => (
            &client.p1,
            format!("/api/workspaces/{}/access", ids.refunds),
        ),
        8 => (&client.paul, "/api/partnerships/sso-coverage".to_owned()),
        _ => (
            &client.alice,
            "/api/partnerships?sort=-partners&sso=enforced&page=3".to_owned(),
        ),
    };
    (token.clone(), path)
}

/// Runs one client until `deadline`, keeping `expected` in step with every write.
async fn run(
    client: Client,
    ids: Arc<Ids>,
    mut expected: Expected,
    deadline: Instant,
) -> (Tally, Expected, Client) {
    let mut tally = Tally::default();
    let mut n: u64 = 0;
    while Instant::now() < deadline {
        n += 1;
        if n % 2 == 1 {
            // A partner detail can be 404 when the team's partnership was just removed.
            let (token, path) = read(&client, &ids, n / 2);
            match client.call(&token, Method::GET, &path, None).await {
                Ok((status, _)) if status == 200 => {}
                Ok((status, _)) if status == 404 && path.starts_with("/api/partnerships/gen") => {}
                Ok((status, body)) => tally.errors.push(format!("GET {path}: {status}: {body}")),
                Err(error) => tally.errors.push(error),
            }
            tally.reads += 1;
            continue;
        }
        tally.writes += 1;
        let partners = format!("/api/workspaces/{}/partners", ids.payments);
        if n.is_multiple_of(50) {
            // Remove the whole partnership now and then.
            let any = expected.p1_payments
                || expected.p2_payments
                || expected.p1_fraud
                || expected.p2_fraud
                || expected.refunds == Refunds::Granted;
            let path = format!("/api/partnerships/{}", client.team_id);
            client
                .expect(
                    &mut tally,
                    &client.alice,
                    Method::DELETE,
                    &path,
                    None,
                    if any { 200 } else { 404 },
                )
                .await;
            expected.p1_payments = false;
            expected.p2_payments = false;
            expected.p1_fraud = false;
            expected.p2_fraud = false;
            if expected.refunds == Refunds::Granted {
                expected.refunds = Refunds::None;
            }
        } else if n.is_multiple_of(12) && expected.p2_payments {
            // Person 2 made an Editor in Payments API: a seat, or 409 when none is left
            // (64 clients race for Acme's three).
            let path = format!("{partners}/{}", client.p2_id);
            let body = json!({ "role": "editor" });
            match client
                .call(&client.alice, Method::PATCH, &path, Some(body))
                .await
            {
                Ok((status, _)) if status == 200 || status == 409 => {}
                Ok((status, body)) => tally.errors.push(format!("PATCH {path}: {status}: {body}")),
                Err(error) => tally.errors.push(error),
            }
        } else if n.is_multiple_of(4) {
            // Person 2 in and out of Payments API.
            if expected.p2_payments {
                let path = format!("{partners}/{}", client.p2_id);
                client
                    .expect(&mut tally, &client.alice, Method::DELETE, &path, None, 204)
                    .await;
            } else {
                let body = json!({ "email": client.p2_email, "role": "viewer" });
                client
                    .expect(
                        &mut tally,
                        &client.paul,
                        Method::POST,
                        &partners,
                        Some(body),
                        201,
                    )
                    .await;
            }
            expected.p2_payments = !expected.p2_payments;
        } else {
            // Person 1 asks for Refunds API, is approved or denied, is removed, asks again.
            match expected.refunds.clone() {
                Refunds::None => {
                    let path = format!("/api/workspaces/{}/access-requests", ids.refunds);
                    let body = json!({ "message": format!("load {n}") });
                    if let Some(answer) = client
                        .expect(&mut tally, &client.p1, Method::POST, &path, Some(body), 201)
                        .await
                    {
                        let id = answer["id"].as_str().unwrap_or_default().to_owned();
                        expected.requests.insert(id.clone(), "pending");
                        expected.refunds = Refunds::Pending(id);
                    }
                }
                Refunds::Pending(id) => {
                    let approve = expected.requests.len() % 2 == 1;
                    let path = format!(
                        "/api/access-requests/{id}/{}",
                        if approve { "approve" } else { "deny" }
                    );
                    client
                        .expect(&mut tally, &client.paul, Method::POST, &path, None, 200)
                        .await;
                    expected
                        .requests
                        .insert(id, if approve { "approved" } else { "denied" });
                    expected.refunds = if approve {
                        Refunds::Granted
                    } else {
                        Refunds::None
                    };
                }
                Refunds::Granted => {
                    let path = format!("/api/workspaces/{}/partners/{}", ids.refunds, client.p1_id);
                    client
                        .expect(&mut tally, &client.alice, Method::DELETE, &path, None, 204)
                        .await;
                    expected.refunds = Refunds::None;
                }
            }
        }
    }
    (tally, expected, client)
}

/// The partners' emails in a workspace, as alice sees them.
async fn partners_of(client: &Client, workspace: &str) -> Vec<String> {
    let (status, members) = client
        .call(
            &client.alice,
            Method::GET,
            &format!("/api/workspaces/{workspace}/members"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["user"]["email"].as_str().unwrap().to_owned())
        .collect()
}

/// Every access request to Acme's workspaces with `status`, id → status.
async fn requests_with(client: &Client, status: &str) -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for page in 1.. {
        let path = format!("/api/access-requests?status={status}&per_page=200&page={page}");
        let (code, answer) = client
            .call(&client.alice, Method::GET, &path, None)
            .await
            .unwrap();
        assert_eq!(code, 200);
        let items = answer["items"].as_array().unwrap();
        for item in items {
            all.insert(item["id"].as_str().unwrap().to_owned(), status.to_owned());
        }
        if items.len() < 200 {
            break;
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a minute of load: scripts/test.sh runs it as its own step"]
async fn load_mixed_reads_and_writes_on_64_connections_without_an_error() {
    let seconds: u64 = std::env::var("PARTNER_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let db = partner_server::db::Db::open(database.clone())
        .await
        .unwrap();
    db.generate(CONNECTIONS as u32, 2).await.unwrap();
    // Sessions made directly: 66 sign-ins would meet the sign-in limit per address.
    let mut token_of = BTreeMap::new();
    for email in ["alice@acme.test", "paul@acme.test"]
        .into_iter()
        .map(str::to_owned)
        .chain((0..CONNECTIONS).map(|t| format!("person1@gen{t:05}.test")))
    {
        let id: String = text(&db, "SELECT id FROM users WHERE email = ?", &[&email]).await;
        let token = session_token::generate();
        db.start_session(&id, &session_token::hash(&token), "password")
            .await
            .unwrap();
        token_of.insert(email, token);
    }
    let workspace = |name: &'static str| {
        let db = db.clone();
        async move { text(&db, "SELECT id FROM workspaces WHERE name = ?", &[&name]).await }
    };
    let ids = Arc::new(Ids {
        payments: workspace("Payments API").await,
        fraud: workspace("Fraud Signals").await,
        refunds: workspace("Refunds API").await,
    });
    // PARTNER_LOAD_SERVERS servers on the database (default one), the connections spread
    // over them as a round-robin balancer would.
    let servers: usize = std::env::var("PARTNER_LOAD_SERVERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let smtp = SmtpListener::start().await;
    let mut apps = Vec::new();
    for _ in 0..servers.max(1) {
        apps.push(
            spawn_app_with(Options {
                database: Some(database.clone()),
                smtp_url: Some(smtp.url()),
                // Digests are written as the load goes, not a minute after it.
                digest_window: Some(Duration::from_secs(1)),
                ..Options::default()
            })
            .await,
        );
    }

    // PARTNER_LOAD_STREAMS live update streams held open on the first server meanwhile.
    let stream_count: usize = std::env::var("PARTNER_LOAD_STREAMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut holders = None;
    let mut rss_idle = 0.0;
    let mut rss_streams = 0.0;
    if stream_count > 0 {
        let people = watchers(&db, stream_count, CONNECTIONS).await;
        rss_idle = rss_mb();
        let cookie = apps[0].state.session_cookie.name;
        let opened = StreamHolders::open(&db, &apps[0].address, cookie, &people).await;
        assert_eq!(opened.opened, stream_count);
        assert_eq!(
            apps[0].state.live.len(),
            stream_count,
            "the server holds them all"
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
        rss_streams = rss_mb();
        holders = Some(opened);
    }
    let peak = Arc::new(std::sync::Mutex::new(rss_mb()));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let now = rss_mb();
                let mut peak = peak.lock().unwrap();
                *peak = peak.max(now);
            }
        })
    };

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut runs = Vec::new();
    for t in 0..CONNECTIONS {
        let client = Client {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            base: apps[t % apps.len()].address.clone(),
            alice: token_of["alice@acme.test"].clone(),
            paul: token_of["paul@acme.test"].clone(),
            p1: token_of[&format!("person1@gen{t:05}.test")].clone(),
            p1_id: format!("gen-{t:05}-1"),
            p2_id: format!("gen-{t:05}-2"),
            p2_email: format!("person2@gen{t:05}.test"),
            team_id: format!("gen-{t:05}"),
        };
        // `generate` makes every partner a Viewer in Payments API, and every third team's
        // partners Viewers in Fraud Signals too.
        let expected = Expected {
            p1_payments: true,
            p2_payments: true,
            p1_fraud: t % 3 == 0,
            p2_fraud: t % 3 == 0,
            ..Expected::default()
        };
        runs.push(tokio::spawn(run(client, ids.clone(), expected, deadline)));
    }
    let mut total = Tally::default();
    let mut outcomes = Vec::new();
    for run in runs {
        let (tally, expected, client) = run.await.unwrap();
        total.reads += tally.reads;
        total.writes += tally.writes;
        total.errors.extend(tally.errors);
        outcomes.push((expected, client));
    }
    let elapsed = started.elapsed();
    let requests = total.reads + total.writes;
    println!(
        "load: {CONNECTIONS} connections to {} server(s) on {} for {elapsed:.1?}: {requests} requests \
         ({} reads, {} writes), {:.0} requests/s, {} errors",
        apps.len(),
        if crate::helpers::on_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        total.reads,
        total.writes,
        requests as f64 / elapsed.as_secs_f64(),
        total.errors.len()
    );
    sampler.abort();
    if let Some(holders) = holders {
        let seen = holders.finish(&apps[0].state.db).await;
        let peak = *peak.lock().unwrap();
        println!(
            "load: {} live update streams on one server: {} deliveries ({} streams got events), \
             {} resyncs, {} ended early; delivery from the change's record to the client: \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; test process RSS (server + load \
             clients) {rss_idle:.1} MB before the streams, {rss_streams:.1} MB with them open \
             ({:.1} KB per stream), {peak:.1} MB at most under load",
            seen.opened,
            seen.deliveries,
            seen.streams_with_events,
            seen.resyncs,
            seen.ended_early,
            seen.p50_ms.unwrap_or(f64::NAN),
            seen.p99_ms.unwrap_or(f64::NAN),
            seen.max_ms.unwrap_or(f64::NAN),
            (rss_streams - rss_idle) * 1024.0 / stream_count as f64,
        );
        assert_eq!(
            (seen.streams, seen.opened, seen.failed),
            (stream_count, stream_count, 0)
        );
        assert_eq!(seen.ended_early, 0, "no stream ended under load");
        assert!(
            seen.deliveries > 0 && seen.streams_with_events >= 2,
            "{seen:?}"
        );
    }
    assert!(
        total.errors.is_empty(),
        "{} errors, the first: {:#?}",
        total.errors.len(),
        &total.errors[..total.errors.len().min(10)]
    );
    assert!(total.writes >= CONNECTIONS as u64, "every client wrote");

    // Every write reads back: who is a partner where, and how each request ended.
    let checker = &outcomes[0].1;
    let payments = partners_of(checker, &ids.payments).await;
    let fraud = partners_of(checker, &ids.fraud).await;
    let refunds = partners_of(checker, &ids.refunds).await;
    let mut decided = requests_with(checker, "pending").await;
    decided.extend(requests_with(checker, "approved").await);
    decided.extend(requests_with(checker, "denied").await);
    for (t, (expected, _)) in outcomes.iter().enumerate() {
        let p1 = format!("person1@gen{t:05}.test");
        let p2 = format!("person2@gen{t:05}.test");
        assert_eq!(
            payments.contains(&p1),
            expected.p1_payments,
            "{p1} in Payments API"
        );
        assert_eq!(
            payments.contains(&p2),
            expected.p2_payments,
            "{p2} in Payments API"
        );
        assert_eq!(
            fraud.contains(&p1),
            expected.p1_fraud,
            "{p1} in Fraud Signals"
        );
        assert_eq!(
            fraud.contains(&p2),
            expected.p2_fraud,
            "{p2} in Fraud Signals"
        );
        assert_eq!(
            refunds.contains(&p1),
            expected.refunds == Refunds::Granted,
            "{p1} in Refunds API"
        );
        for (id, status) in &expected.requests {
            assert_eq!(
                decided.get(id).map(String::as_str),
                Some(*status),
                "request {id} of {p1}"
            );
        }
    }
    // The list's summaries followed every one of those writes.
    let db = apps[0].db().await;
    assert_exact(&db, "the load").await;

    // The Editor seats stayed within the plan, whoever won the races.
    let seats = checker
        .call(&checker.alice, Method::GET, "/api/seats", None)
        .await
        .unwrap()
        .1;
    assert!(
        seats["editor_seats_used"].as_u64() <= seats["editor_seats_included"].as_u64(),
        "{seats}"
    );
    // Every email the load caused reaches the SMTP listener, each exactly once.
    let written = eventually(60, "every email to be delivered", || async {
        let unsent = count(
            &db,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
            &[],
        )
        .await;
        (unsent == 0).then_some(count(&db, "SELECT COUNT(*) FROM email_outbox", &[]).await)
    })
    .await;
    let (accepted, delivered) = smtp.message_ids();
    println!(
        "load: {written} emails written, {accepted} delivered, {} distinct; seats {seats}",
        delivered.len()
    );
    assert_eq!(accepted, delivered.len(), "no email delivered twice");
    assert_eq!(delivered.len() as i64, written, "every email delivered");
}
