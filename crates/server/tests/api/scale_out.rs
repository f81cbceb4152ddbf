//! Several servers, one database: the rules hold when the requests that race come through
//! two server processes (two pools, as two machines behind a balancer would have), not only
//! through one. On PostgreSQL (`PARTNER_TEST_POSTGRES`) every rule below rests on its row
//! lock, advisory lock or unique index; on SQLite the two servers share the file's lock.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{
    Options, Session, TestApp, count, demo_ids, fresh_database, on_postgres, spawn_app_with,
    spawn_demo,
};

/// Two servers on one demo database.
async fn two_servers() -> (TestApp, TestApp) {
    let a = spawn_demo().await;
    let b = spawn_app_with(Options {
        database: Some(a.database.clone()),
        ..Options::default()
    })
    .await;
    (a, b)
}

/// The same browser session, sent to another server (sessions live in the database).
fn on(server: &TestApp, session: &Session) -> Session {
    Session {
        client: session.client.clone(),
        base: server.address.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_on_one_server_works_and_ends_on_the_other() {
    let (a, b) = two_servers().await;
    let paul_a = a.session("paul").await;
    let paul_b = on(&b, &paul_a);

    assert_eq!(
        paul_b.get_json("/api/me").await["user"]["email"],
        "paul@acme.test"
    );
    assert_eq!(
        paul_b.status(Method::DELETE, "/api/session", None).await,
        204
    );
    assert_eq!(paul_a.status(Method::GET, "/api/me", None).await, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn editor_seats_taken_through_two_servers_never_exceed_the_plan() {
    // Three rounds on fresh databases: each is a race of four for Acme's two free seats.
    for round in 0..3 {
        let (a, b) = two_servers().await;
        let ids = demo_ids(&a).await;
        let alice = a.session("alice").await;
        let paul = b.session("paul").await;
        let invite = |session: &Session, login: &str| {
            let session = session.clone();
            let path = format!("/api/workspaces/{}/partners", ids.refunds);
            let email = crate::helpers::email(login);
            async move {
                session
                    .status(
                        Method::POST,
                        &path,
                        Some(json!({"email": email, "role": "editor"})),
                    )
                    .await
            }
        };
        let promote = {
            let session = alice.clone();
            let path = format!("/api/workspaces/{}/partners/{}", ids.refunds, ids.ivan);
            async move {
                session
                    .status(Method::PATCH, &path, Some(json!({"role": "editor"})))
                    .await
            }
        };
        let (gina, gary, uma, ivan) = tokio::join!(
            invite(&alice, "gina"),
            invite(&paul, "gary"),
            invite(&paul, "uma"),
            promote
        );

        let statuses = [gina, gary, uma, ivan];
        let won = statuses.iter().filter(|s| matches!(s, 200 | 201)).count();
        let refused = statuses.iter().filter(|s| **s == 409).count();
        assert_eq!((won, refused), (2, 2), "round {round}: {statuses:?}");
        let seats = alice.get_json("/api/seats").await;
        assert_eq!(seats["editor_seats_used"], 3, "round {round}: {seats}");
        let editors = count(
            &a.db().await,
            "SELECT COUNT(*) FROM partner_grants WHERE role = 'editor' AND revoked_at IS NULL",
            &[],
        )
        .await;
        assert_eq!(editors, 3, "round {round}: the grants agree with the seats");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_request_approved_on_two_servers_at_once_is_granted_once() {
    let (a, b) = two_servers().await;
    let ids = demo_ids(&a).await;
    let paul = a.session("paul").await;
    let alice = b.session("alice").await;
    let path = format!("/api/access-requests/{}/approve", ids.gary_request);

    let (one, two) = tokio::join!(
        paul.status(Method::POST, &path, Some(json!({}))),
        alice.status(Method::POST, &path, Some(json!({})))
    );

    let mut statuses = [one, two];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let db = a.db().await;
    let approvals = count(
        &db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'access_request.approved'",
        &[],
    )
    .await;
    let emails = count(
        &db,
        "SELECT COUNT(*) FROM email_outbox WHERE dedupe_key LIKE 'access-approved:%'",
        &[],
    )
    .await;
    let grants = count(
        &db,
        "SELECT COUNT(*) FROM partner_grants WHERE workspace_id = ? AND user_id = ?",
        &[&ids.fraud, &ids.gary],
    )
    .await;
    assert_eq!((approvals, emails, grants), (1, 1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn asking_on_two_servers_at_once_leaves_one_pending_request() {
    let (a, b) = two_servers().await;
    let ids = demo_ids(&a).await;
    let uma_a = a.session("uma").await;
    let uma_b = on(&b, &uma_a);
    let path = format!("/api/workspaces/{}/access-requests", ids.payments);

    for _ in 0..5 {
        let (one, two) = tokio::join!(
            uma_a.send(Method::POST, &path, Some(json!({"message": "A"}))),
            uma_b.send(Method::POST, &path, Some(json!({"message": "B"})))
        );
        let mut statuses = [one.status().as_u16(), two.status().as_u16()];
        statuses.sort_unstable();
        assert!(
            statuses == [200, 201] || statuses == [200, 200],
            "{statuses:?}"
        );
        let (one, two) = (
            crate::helpers::json(one).await,
            crate::helpers::json(two).await,
        );
        assert_eq!(
            one["request"]["id"], two["request"]["id"],
            "the same request"
        );
    }
    let pending = count(
        &a.db().await,
        "SELECT COUNT(*) FROM access_requests WHERE workspace_id = ? AND user_id = ? AND status = 'pending'",
        &[&ids.payments, &ids.uma],
    )
    .await;
    assert_eq!(pending, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn multi_partner_toggles_on_two_servers_end_where_the_last_one_left_them() {
    let (a, b) = two_servers().await;
    let ids = demo_ids(&a).await;
    let wanda = a.session("wanda").await;
    let alice = b.session("alice").await;
    let path = format!("/api/workspaces/{}/settings", ids.payments);
    let toggles = |session: Session, start: bool| {
        let path = path.clone();
        async move {
            for n in 0..8 {
                let on = (n % 2 == 0) == start;
                let status = session
                    .status(
                        Method::PATCH,
                        &path,
                        Some(json!({"multi_partner_mode": on})),
                    )
                    .await;
                assert_eq!(status, 200);
            }
        }
    };

    tokio::join!(toggles(wanda.clone(), true), toggles(alice.clone(), false));

    let seen_a = wanda
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    let seen_b = alice
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    assert_eq!(seen_a["multi_partner_mode"], seen_b["multi_partner_mode"]);
    // The last change recorded is the state the workspace is in.
    let last = crate::helpers::text(
        &a.db().await,
        "SELECT action FROM audit_log WHERE workspace_id = ? AND action LIKE 'workspace.multi_partner%'
         ORDER BY id DESC LIMIT 1",
        &[&ids.payments],
    )
    .await;
    assert_eq!(
        last == "workspace.multi_partner_on",
        seen_a["multi_partner_mode"].as_bool().unwrap(),
        "{last}"
    );
    // The seats and the list agree with the grants whatever the interleaving.
    crate::summaries::assert_exact(&a.db().await, "toggles on two servers").await;
    let seats = wanda.get_json("/api/seats").await;
    let editors = count(
        &a.db().await,
        "SELECT COUNT(*) FROM partner_grants WHERE role = 'editor' AND revoked_at IS NULL",
        &[],
    )
    .await;
    assert_eq!(seats["editor_seats_used"], editors);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrate_now_on_two_servers_at_once_is_one_run_that_emails_once() {
    let (a, b) = two_servers().await;
    let alice_a = a.session("alice").await;
    let alice_b = on(&b, &alice_a);
    let body = Some(json!({"dry_run": false}));

    let (one, two) = tokio::join!(
        alice_a.send(Method::POST, "/api/migration", body.clone()),
        alice_b.send(Method::POST, "/api/migration", body.clone())
    );
    let statuses = [one.status().as_u16(), two.status().as_u16()];
    assert!(
        statuses.iter().all(|s| matches!(s, 202 | 409)) && statuses.contains(&202),
        "{statuses:?}"
    );

    let db = a.db().await;
    crate::helpers::eventually(30, "the run to finish", || async {
        let running = count(
            &db,
            "SELECT COUNT(*) FROM migration_runs WHERE state = 'running'",
            &[],
        )
        .await;
        let done = count(
            &db,
            "SELECT COUNT(*) FROM migration_runs WHERE state = 'done'",
            &[],
        )
        .await;
        (running == 0 && done > 0).then_some(())
    })
    .await;
    let runs = count(&db, "SELECT COUNT(*) FROM migration_runs", &[]).await;
    let migrated = count(
        &db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'workspace.migrated'",
        &[],
    )
    .await;
    let twice = count(
        &db,
        "SELECT COUNT(*) FROM (SELECT to_email FROM email_outbox WHERE dedupe_key LIKE 'migration:%'
                               GROUP BY to_email HAVING COUNT(*) > 1) AS twice",
        &[],
    )
    .await;
    assert_eq!(
        (runs, migrated, twice),
        (1, 1, 0),
        "one run, Refunds API once, one email each"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_server_at_a_time_leads_each_scheduled_job() {
    use partner_server::db::{Db, Job};
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    // Two processes' pools.
    let (one, two) = (
        Db::open(database.clone()).await.unwrap(),
        Db::open(database).await.unwrap(),
    );

    let mut first = one.try_lead(Job::MigrationScheduler).await.unwrap();
    let second = two.try_lead(Job::MigrationScheduler).await.unwrap();
    let housekeeping = two.try_lead(Job::Housekeeping).await.unwrap();

    assert!(first.as_mut().unwrap().holds().await);
    assert!(housekeeping.is_some(), "each job has its own leader");
    if on_postgres() {
        assert!(second.is_none(), "a second server waits its turn");
        // The leader's process ends (its connection with it): the other takes over.
        drop(first);
        crate::helpers::eventually(10, "the lead to pass to the other server", || async {
            two.try_lead(Job::MigrationScheduler).await.unwrap()
        })
        .await;
    } else {
        // Processes that share a SQLite file all lead: every scheduled job is safe twice.
        assert!(second.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_starting_together_load_the_demo_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let start = || {
        spawn_app_with(Options {
            demo: true,
            database: Some(database.clone()),
            ..Options::default()
        })
    };

    let (a, _b, _c) = tokio::join!(start(), start(), start());

    let teams = count(&a.db().await, "SELECT COUNT(*) FROM teams", &[]).await;
    let users = count(&a.db().await, "SELECT COUNT(*) FROM users", &[]).await;
    assert_eq!((teams, users), (6, 12));
}

/// Wrong passwords for one account from one client, each sent to the next of `servers`
/// in turn (a round-robin balancer); how many were checked before the first 429.
async fn failures_before_refusal(servers: &[TestApp]) -> usize {
    let clients: Vec<Session> = servers.iter().map(TestApp::anonymous).collect();
    for n in 0..40 {
        let status = clients[n % clients.len()]
            .status(
                Method::POST,
                "/api/session",
                Some(json!({"email": "gina@globex.test", "password": "not her password"})),
            )
            .await;
        match status {
            401 => {}
            429 => return n,
            other => panic!("attempt {n}: {other}"),
        }
    }
    panic!("never throttled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn servers_that_share_the_sign_in_budget_allow_what_one_server_does() {
    let one = spawn_demo().await;
    let alone = failures_before_refusal(std::slice::from_ref(&one)).await;

    let a = spawn_app_with(Options {
        demo: true,
        sign_in_servers: Some(2),
        ..Options::default()
    })
    .await;
    let b = spawn_app_with(Options {
        database: Some(a.database.clone()),
        sign_in_servers: Some(2),
        ..Options::default()
    })
    .await;
    let shared = failures_before_refusal(&[a, b]).await;

    assert_eq!(alone, 5);
    assert!(
        (alone..=alone + 1).contains(&shared),
        "two servers allowed {shared}, one allows {alone}"
    );
}
