//! Crash safety with the real `partner-server` binary: SIGKILL it in the middle of a
//! migration of hundreds of legacy workspaces, and in the middle of SMTP delivery; start
//! it again; every workspace ends fully migrated and every email exists (and is
//! delivered) exactly once.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use partner_api::{CSRF_HEADER, CSRF_VALUE};
use partner_server::db::{DatabaseUrl, Db};
use serde_json::json;

use crate::helpers::{eventually, fresh_database, text};
use crate::smtp_listener::{SmtpListener, parse};

/// The binary, started as a person would, with its log in a file beside the database.
pub(crate) struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    /// Serves `database`, with its log in `dir`.
    pub(crate) async fn start(database: &DatabaseUrl, dir: &Path, extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = dir.join(format!("server-{port}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_partner-server"))
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .arg("--database")
            .arg(database.to_url())
            .args([
                "--dev",
                "--worker-poll-ms",
                "20",
                "--scheduled-migrations",
                "false",
            ])
            .args(extra)
            .env("RUST_LOG", "partner_server=info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the partner-server binary starts");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let health = format!("{}/api/health", server.base);
        eventually(30, "the server to answer", || async {
            reqwest::get(&health)
                .await
                .ok()
                .filter(|r| r.status().is_success())
        })
        .await;
        server
    }

    /// SIGKILL: no shutdown code runs.
    pub(crate) fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the killed server is reaped");
    }

    async fn sign_in(&self, email: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let response = client
            .post(format!("{}/api/session", self.base))
            .header(CSRF_HEADER, CSRF_VALUE)
            .json(&json!({ "email": email, "password": "partner-demo" }))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{email} signs in");
        client
    }

    fn migrate(&self, client: &reqwest::Client) -> reqwest::RequestBuilder {
        client
            .post(format!("{}/api/migration", self.base))
            .header(CSRF_HEADER, CSRF_VALUE)
            .json(&json!({ "dry_run": false }))
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    crate::helpers::count(db, sql, &[]).await
}

async fn seeded(dir: &Path, workspaces: u32, partners_each: u32) -> (DatabaseUrl, Db) {
    let path = fresh_database(dir).await;
    let db = Db::open(path.clone()).await.unwrap();
    db.generate_legacy(workspaces, partners_each).await.unwrap();
    (path, db)
}

/// Which legacy workspaces are migrated.
const MIGRATED_SQL: &str =
    "SELECT COUNT(*) FROM workspaces WHERE legacy = TRUE AND migration_state = 'migrated'";

/// Seeds `dir`, starts a migration and SIGKILLs the server as soon as it has migrated a
/// workspace. Returns the database and how many were migrated, or `None` when the machine
/// was so slow to look that the migration had already finished (nothing was interrupted).
async fn kill_a_migration(
    dir: &Path,
    generated: u32,
    partners_each: u32,
) -> Option<(DatabaseUrl, Db, i64)> {
    let (path, db) = seeded(dir, generated, partners_each).await;
    let mut server = Server::start(&path, dir, &[]).await;
    let alice = server.sign_in("alice@acme.test").await;
    let request = tokio::spawn(server.migrate(&alice).send());
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(&db, MIGRATED_SQL).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the migration never started:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    // Killed wherever it is, mid-commit included; once it is dead the database holds still.
    server.kill();
    let _ = request.await;
    let at_kill = count(&db, MIGRATED_SQL).await;
    eprintln!(
        "killed with {at_kill} of {} workspaces migrated",
        generated + 1
    );
    (at_kill <= i64::from(generated)).then_some((path, db, at_kill))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migration_killed_mid_way_finishes_after_restart_with_every_email_once() {
    const GENERATED: u32 = 400;
    const PARTNERS_EACH: i64 = 2;
    let legacy = i64::from(GENERATED) + 1; // and the demo's Refunds API
    // alice, paul, wanda, mike; every generated partner; ivan once for all his workspaces.
    let expected_emails = 4 + i64::from(GENERATED) * PARTNERS_EACH + 1;
    let migrated_sql = MIGRATED_SQL;

    // A busy machine can look too late to interrupt anything: then start over.
    let dir = tempfile::tempdir().unwrap();
    let mut attempt = 0;
    let (path, db, at_kill) = loop {
        attempt += 1;
        let folder = dir.path().join(attempt.to_string());
        std::fs::create_dir(&folder).unwrap();
        if let Some(killed) = kill_a_migration(&folder, GENERATED, PARTNERS_EACH as u32).await {
            break killed;
        }
        assert!(attempt < 5, "no kill landed part-way in {attempt} attempts");
    };
    let pool = &db;

    assert!(
        0 < at_kill && at_kill < legacy,
        "killed part-way: {at_kill} of {legacy} migrated"
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'workspace.migrated'"
        )
        .await,
        at_kill,
        "each workspace is whole: migrated with its audit row, or not at all"
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM migration_runs WHERE state = 'running'"
        )
        .await,
        1
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM email_outbox").await,
        0,
        "no email is written before every workspace has migrated"
    );

    // Start again: the interrupted run is finished, its emails written and delivered.
    let server = Server::start(&path, dir.path(), &[]).await;
    eventually(
        60,
        "the run to finish and its emails to be delivered",
        || async {
            let running = count(
                pool,
                "SELECT COUNT(*) FROM migration_runs WHERE state = 'running'",
            )
            .await;
            let unsent = count(
                pool,
                "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
            )
            .await;
            let emails = count(pool, "SELECT COUNT(*) FROM email_outbox").await;
            (running == 0 && emails > 0 && unsent == 0).then_some(())
        },
    )
    .await;
    // Asking again changes nothing: nothing is left to migrate.
    let alice = server.sign_in("alice@acme.test").await;
    let again = server.migrate(&alice).send().await.unwrap();
    assert_eq!(again.status(), 409, "{}", server.log());

    assert_eq!(count(pool, migrated_sql).await, legacy);
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM workspaces WHERE legacy = TRUE AND (migrated_at IS NULL
               OR migration_run_id IS DISTINCT FROM (SELECT id FROM migration_runs))"
        )
        .await,
        0,
        "one run migrated every workspace"
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'workspace.migrated'"
        )
        .await,
        legacy,
        "no workspace was migrated twice"
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM email_outbox").await,
        expected_emails
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM (SELECT to_email FROM email_outbox GROUP BY to_email HAVING COUNT(*) > 1) AS twice"
        )
        .await,
        0,
        "nobody gets two emails"
    );
    let email = |to: &'static str| async move {
        let subject = text(
            pool,
            "SELECT subject FROM email_outbox WHERE to_email = ?",
            &[&to],
        )
        .await;
        let body = text(
            pool,
            "SELECT text_body FROM email_outbox WHERE to_email = ?",
            &[&to],
        )
        .await;
        (subject, body)
    };
    let (subject, text) = email("alice@acme.test").await;
    assert_eq!(subject, "Your Partner Workspaces have been migrated");
    assert!(text.contains("- Refunds API: ") && text.contains("- Legacy Workspace 00400: "));
    assert_eq!(
        text.matches("\n- ").count(),
        legacy as usize,
        "alice's lists all"
    );
    let (_, wanda) = email("wanda@acme.test").await;
    let (_, mike) = email("mike@acme.test").await;
    assert_eq!(
        wanda.matches("\n- ").count() + mike.matches("\n- ").count(),
        legacy as usize,
        "Workspace Admins hear about their own workspaces"
    );
    let (subject, text) = email("ivan@initech.test").await;
    assert_eq!(
        subject,
        "Your Partner Workspace with Acme Payments has been upgraded"
    );
    assert_eq!(
        text.matches("Go to workspace: ").count(),
        1 + GENERATED as usize / 25,
        "one email listing every Acme workspace ivan is in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migration_whose_server_is_killed_is_finished_by_the_other_server() {
    const GENERATED: u32 = 300;
    let legacy = i64::from(GENERATED) + 1;
    let expected_emails = 4 + i64::from(GENERATED) + 1;
    let dir = tempfile::tempdir().unwrap();
    let (path, db) = seeded(dir.path(), GENERATED, 1).await;
    // Two servers behind one balancer; the survivor's scheduler looks every second.
    let args = ["--scheduler-secs", "1", "--sign-in-servers", "2"];
    let mut doomed = Server::start(&path, dir.path(), &args).await;
    let survivor = Server::start(&path, dir.path(), &args).await;
    let alice = doomed.sign_in("alice@acme.test").await;
    let request = tokio::spawn(doomed.migrate(&alice).send());
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(&db, MIGRATED_SQL).await == 0 {
        assert!(
            Instant::now() < deadline,
            "the migration never started:\n{}",
            doomed.log()
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    doomed.kill();
    let _ = request.await;
    let at_kill = count(&db, MIGRATED_SQL).await;
    eprintln!("killed one server with {at_kill} of {legacy} workspaces migrated");
    assert!(at_kill < legacy, "killed part-way");

    // No restart: the other server finishes the run and delivers its emails.
    eventually(
        90,
        "the other server to finish the run and deliver",
        || async {
            let running = count(
                &db,
                "SELECT COUNT(*) FROM migration_runs WHERE state = 'running'",
            )
            .await;
            let emails = count(&db, "SELECT COUNT(*) FROM email_outbox").await;
            let unsent = count(
                &db,
                "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
            )
            .await;
            (running == 0 && emails > 0 && unsent == 0).then_some(())
        },
    )
    .await;
    assert_eq!(count(&db, MIGRATED_SQL).await, legacy, "{}", survivor.log());
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'workspace.migrated'"
        )
        .await,
        legacy,
        "no workspace was migrated twice"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM migration_runs").await,
        1,
        "one run"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM email_outbox").await,
        expected_emails
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM (SELECT to_email FROM email_outbox GROUP BY to_email HAVING COUNT(*) > 1) AS twice"
        )
        .await,
        0,
        "nobody gets two emails"
    );
    // The survivor answers as before.
    let gina = survivor.sign_in("gina@globex.test").await;
    let me = gina
        .get(format!("{}/api/me", survivor.base))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_delivery_with_one_of_two_servers_killed_delivers_every_email_once() {
    let smtp = SmtpListener::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, db) = seeded(dir.path(), 20, 1).await;
    let url = smtp.url();
    // A dead server's claims run out after 5 s; then the other sends what it held.
    let args = [
        "--smtp-url",
        url.as_str(),
        "--email-lease-secs",
        "5",
        "--sign-in-servers",
        "2",
    ];
    smtp.accept_at_most(5);
    let mut doomed = Server::start(&path, dir.path(), &args).await;
    let survivor = Server::start(&path, dir.path(), &args).await;
    let alice = doomed.sign_in("alice@acme.test").await;
    assert_eq!(doomed.migrate(&alice).send().await.unwrap().status(), 202);
    let total = eventually(20, "the run's emails to be written", || async {
        let written = count(&db, "SELECT COUNT(*) FROM email_outbox").await;
        (written > 0).then_some(written)
    })
    .await;
    assert_eq!(total, 4 + 20 + 1);

    // Five accepted; each server is now waiting for the answer to one more (each claims
    // ten at a time): kill one of them while it waits.
    eventually(20, "one email of each server to be held", || async {
        (smtp.held() == 2).then_some(())
    })
    .await;
    doomed.kill();
    eventually(10, "the listener to see the sender gone", || async {
        (smtp.held() == 1).then_some(())
    })
    .await;
    smtp.accept_at_most(usize::MAX);

    eventually(60, "the survivor to deliver every email", || async {
        let unsent = count(
            &db,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
        )
        .await;
        (unsent == 0).then_some(())
    })
    .await;
    let (accepted, delivered) = smtp.message_ids();
    assert_eq!(
        accepted,
        delivered.len(),
        "no email twice: {}",
        survivor.log()
    );
    assert_eq!(delivered.len() as i64, total, "every email");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_delivery_killed_mid_way_delivers_every_email_exactly_once_after_restart() {
    let smtp = SmtpListener::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, db) = seeded(dir.path(), 20, 1).await;
    let pool = &db;
    let url = smtp.url();
    // The emails the killed server had claimed are sent again once its claims run out.
    let smtp_args = ["--smtp-url", url.as_str(), "--email-lease-secs", "5"];
    const ACCEPTED_BEFORE_KILL: usize = 5;
    smtp.accept_at_most(ACCEPTED_BEFORE_KILL);

    let mut server = Server::start(&path, dir.path(), &smtp_args).await;
    let alice = server.sign_in("alice@acme.test").await;
    let started = server.migrate(&alice).send().await.unwrap();
    assert_eq!(started.status(), 202);
    // The run goes on after the answer; its last transaction writes every email.
    let total = eventually(20, "the run's emails to be written", || async {
        let written = count(pool, "SELECT COUNT(*) FROM email_outbox").await;
        (written > 0).then_some(written)
    })
    .await;
    assert_eq!(total, 4 + 20 + 1);

    // The listener has accepted five and holds its answer to the sixth: kill the sender
    // while it waits for that answer.
    eventually(20, "the sixth email to be held", || async {
        (smtp.held() == 1).then_some(())
    })
    .await;
    server.kill();
    eventually(10, "the listener to see the sender gone", || async {
        (smtp.held() == 0).then_some(())
    })
    .await;
    assert_eq!(smtp.accepted().len(), ACCEPTED_BEFORE_KILL);
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NOT NULL"
        )
        .await,
        ACCEPTED_BEFORE_KILL as i64
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL AND attempts > 0"
        )
        .await,
        1,
        "one email was in flight"
    );

    smtp.accept_at_most(usize::MAX);
    let server = Server::start(&path, dir.path(), &smtp_args).await;
    eventually(30, "every email to be delivered", || async {
        let unsent = count(
            pool,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
        )
        .await;
        (unsent == 0).then_some(())
    })
    .await;
    drop(server);

    let accepted = smtp.accepted();
    assert_eq!(
        accepted.len() as i64,
        total,
        "each email delivered exactly once"
    );
    let ids: Vec<String> =
        crate::helpers::texts(pool, "SELECT id FROM email_outbox ORDER BY id", &[]).await;
    let mut message_ids: Vec<String> = accepted
        .iter()
        .map(|m| {
            let id = parse(&m.data).headers["message-id"].clone();
            id.trim_start_matches('<')
                .trim_end_matches("@partner-workspaces.test>")
                .to_owned()
        })
        .collect();
    message_ids.sort();
    assert_eq!(
        message_ids, ids,
        "every outbox email, once, under its own Message-ID"
    );
    let mut recipients: Vec<String> = accepted.iter().map(|m| m.rcpt_to.join(",")).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len() as i64, total, "nobody got two emails");
}
