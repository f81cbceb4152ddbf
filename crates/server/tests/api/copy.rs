//! `partner-server copy`: a SQLite installation moved into another database (PostgreSQL
//! when `PARTNER_TEST_POSTGRES` names a server) answers every persona exactly as before,
//! with the same session cookies.

use std::process::Command;

use partner_server::db::DatabaseUrl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    DemoIds, Options, Session, TestApp, count, demo_ids, eventually, fresh_database, spawn_app_with,
};

const PERSONAS: [&str; 6] = ["alice", "paul", "wanda", "gina", "ivan", "uma"];

/// What each persona reads: the pages' first requests and a few details.
async fn answers(ids: &DemoIds, sessions: &[Session]) -> Vec<(String, Value)> {
    let paths = [
        "/api/me".to_owned(),
        "/api/workspaces?tab=shared_partner".to_owned(),
        "/api/workspaces".to_owned(),
        "/api/partnerships".to_owned(),
        "/api/partnerships?q=glo".to_owned(),
        format!("/api/partnerships/{}", ids.globex),
        "/api/partnerships/sso-coverage".to_owned(),
        "/api/access-requests".to_owned(),
        "/api/access-requests?status=approved".to_owned(),
        "/api/seats".to_owned(),
        "/api/migration".to_owned(),
        format!("/api/workspaces/{}", ids.payments),
        format!("/api/workspaces/{}/members", ids.payments),
        format!("/api/workspaces/{}/access", ids.fraud),
    ];
    let mut all = Vec::new();
    for (persona, session) in PERSONAS.iter().zip(sessions) {
        for path in &paths {
            let response = session.send(Method::GET, path, None).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            all.push((format!("{persona} GET {path} → {status}"), body));
        }
    }
    all
}

fn on(app: &TestApp, session: &Session) -> Session {
    Session {
        client: session.client.clone(),
        base: app.address.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copied_installation_answers_everyone_as_before_with_the_same_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let source = DatabaseUrl::Sqlite(dir.path().join("source/partner.db"));
    let app = spawn_app_with(Options {
        demo: true,
        database: Some(source.clone()),
        ..Options::default()
    })
    .await;
    let ids = demo_ids(&app).await;
    // A history: an approval, an invitation, a multi-partner toggle, a migration.
    let paul = app.session("paul").await;
    let alice = app.session("alice").await;
    let approve = format!("/api/access-requests/{}/approve", ids.gary_request);
    assert_eq!(
        paul.status(Method::POST, &approve, Some(json!({}))).await,
        200
    );
    let invite = format!("/api/workspaces/{}/partners", ids.payments);
    let invited = alice
        .status(
            Method::POST,
            &invite,
            Some(json!({"email": "uma@umbrella.test", "role": "viewer"})),
        )
        .await;
    assert_eq!(invited, 201);
    let settings = format!("/api/workspaces/{}/settings", ids.fraud);
    assert_eq!(
        alice
            .status(
                Method::PATCH,
                &settings,
                Some(json!({"multi_partner_mode": true}))
            )
            .await,
        200
    );
    let migrated = alice
        .status(
            Method::POST,
            "/api/migration",
            Some(json!({"dry_run": false})),
        )
        .await;
    assert_eq!(migrated, 202);
    eventually(30, "the migration to finish", || async {
        let overview = alice.get_json("/api/migration").await;
        (overview["run"]["state"] == "done").then_some(())
    })
    .await;
    let mut sessions = Vec::new();
    for persona in PERSONAS {
        sessions.push(app.session(persona).await);
    }
    let before = answers(&ids, &sessions).await;
    // The source's servers stop before the copy.
    // Its email worker, the one writer left, has nothing more to write; then the source's
    // server stops before the copy.
    let db = app.db().await;
    eventually(30, "every email to be delivered", || async {
        let unsent = count(
            &db,
            "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
            &[],
        )
        .await;
        (unsent == 0).then_some(())
    })
    .await;
    drop(db);
    drop(app);

    let target = fresh_database(dir.path()).await;
    let output = Command::new(env!("CARGO_BIN_EXE_partner-server"))
        .args(["copy", "--from", &source.to_url(), "--to", &target.to_url()])
        .output()
        .expect("partner-server copy runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains("partner_grants: "), "{printed}");
    let copy = spawn_app_with(Options {
        database: Some(target.clone()),
        ..Options::default()
    })
    .await;

    let sessions: Vec<Session> = sessions.iter().map(|s| on(&copy, s)).collect();
    let after = answers(&ids, &sessions).await;
    assert_eq!(before.len(), after.len());
    for ((what, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was, is, "{what}");
    }
    crate::summaries::assert_exact(&copy.db().await, "the copy").await;
    // Writing goes on in the copy: a new audit entry numbers on from the copied ones.
    let alice = &sessions[0];
    assert_eq!(
        alice
            .status(
                Method::PATCH,
                &settings,
                Some(json!({"multi_partner_mode": false}))
            )
            .await,
        200
    );

    // Copying into a database that now holds other data is refused, and changes nothing.
    let again = Command::new(env!("CARGO_BIN_EXE_partner-server"))
        .args(["copy", "--from", &source.to_url(), "--to", &target.to_url()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    let refusal = String::from_utf8_lossy(&again.stderr);
    assert!(
        refusal.contains("already holds other data (audit_log"),
        "{refusal}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copying_again_into_its_own_copy_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = DatabaseUrl::Sqlite(dir.path().join("source/partner.db"));
    drop(
        spawn_app_with(Options {
            demo: true,
            database: Some(source.clone()),
            ..Options::default()
        })
        .await,
    );
    let target = fresh_database(dir.path()).await;
    let copy = || {
        Command::new(env!("CARGO_BIN_EXE_partner-server"))
            .args(["copy", "--from", &source.to_url(), "--to", &target.to_url()])
            .output()
            .unwrap()
    };

    let (first, second) = (copy(), copy());

    for (run, output) in [("first", &first), ("second", &second)] {
        assert!(
            output.status.success(),
            "{run}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(String::from_utf8_lossy(&first.stdout).contains(": copied "));
    let again = String::from_utf8_lossy(&second.stdout);
    assert!(again.contains("already held (row counts match)"), "{again}");
    assert!(again.contains("teams: 6 rows"), "{again}");
}
