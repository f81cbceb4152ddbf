//! Emails through the transactional outbox: access-request digests (one short transaction
//! per team, once each when two passes race), approvals, invitations, escaping, the dev
//! mailbox, and the workers' shutdown.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    Options, Session, TestApp, count, demo_ids, heal, inject_failure, json, spawn_app,
    spawn_app_with, spawn_demo, sql, texts,
};
use partner_server::service;

const PUBLIC_URL: &str = "http://127.0.0.1:8080";

fn recipients(emails: &[Value]) -> BTreeSet<String> {
    emails
        .iter()
        .map(|e| e["to"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn requests_that_arrive_together_make_one_digest_per_manager_and_admin() {
    let app = spawn_app_with(Options {
        demo: true,
        digest_window: Some(Duration::from_secs(1)),
        ..Options::default()
    })
    .await;
    let ids = demo_ids(&app).await;
    let (gina, uma, hana, gary) = (
        app.session("gina").await,
        app.session("uma").await,
        app.session("hana").await,
        app.session("gary").await,
    );
    let ask = |workspace: &str| format!("/api/workspaces/{workspace}/access-requests");
    // Gary asks, then leaves Globex: his request is dropped and never reaches a digest.
    assert_eq!(
        gary.status(Method::POST, &ask(&ids.refunds), Some(json!({})))
            .await,
        201
    );
    service::membership::remove_from_team(&app.db().await, &ids.gary, None)
        .await
        .unwrap();

    // Three partners of three teams ask within the window; Gina asks twice.
    let body = Some(json!({ "message": "For the <b>checkout</b> team" }));
    assert_eq!(
        gina.status(Method::POST, &ask(&ids.fraud), body.clone())
            .await,
        201
    );
    assert_eq!(
        uma.status(Method::POST, &ask(&ids.payments), Some(json!({})))
            .await,
        201
    );
    assert_eq!(
        hana.status(Method::POST, &ask(&ids.refunds), Some(json!({})))
            .await,
        201
    );
    assert_eq!(gina.status(Method::POST, &ask(&ids.fraud), body).await, 200);

    let emails = app.delivered(2).await;

    assert_eq!(
        emails.len(),
        2,
        "one digest each for alice and paul: {emails:#?}"
    );
    assert_eq!(
        recipients(&emails),
        BTreeSet::from(["alice@acme.test".to_owned(), "paul@acme.test".to_owned()])
    );
    for email in &emails {
        assert_eq!(
            email["subject"],
            "3 new access requests to Acme Payments workspaces"
        );
        let text = email["text"].as_str().unwrap();
        for line in [
            "Gina Gray (gina@globex.test, Globex) asked to join Fraud Signals as a Partner Viewer.",
            "Uma Ueda (uma@umbrella.test, Umbrella) asked to join Payments API",
            "Hana Hill (hana@hooli.test, Hooli) asked to join Refunds API",
        ] {
            assert!(text.contains(line), "{line:?} missing from {text}");
        }
        assert_eq!(text.matches("Gina Gray").count(), 1, "no duplicate request");
        assert!(
            !text.contains("Gary"),
            "dropped and earlier requests stay out"
        );
        let link =
            format!("{PUBLIC_URL}/settings/team/partnerships/external-partners#access-requests");
        assert_eq!(email["link"], link.as_str());
        let html = email["html"].as_str().unwrap();
        assert!(html.contains(&format!("href=\"{link}\"")));
        assert!(
            html.contains("For the &lt;b&gt;checkout&lt;/b&gt; team"),
            "{html}"
        );
    }

    // A request after the digest went out starts the next digest, listing only itself.
    assert_eq!(
        uma.status(Method::POST, &ask(&ids.refunds), Some(json!({})))
            .await,
        201
    );
    let emails = app.delivered(4).await;
    assert_eq!(emails.len(), 4);
    for email in &emails[..2] {
        assert_eq!(
            email["subject"],
            "1 new access request to Acme Payments workspaces"
        );
        assert!(email["text"].as_str().unwrap().contains("Uma Ueda"));
        assert!(!email["text"].as_str().unwrap().contains("Gina Gray"));
    }
}

#[tokio::test]
async fn approving_a_request_sends_the_partner_one_email_that_opens_the_workspace() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;

    let approved = alice
        .status(
            Method::POST,
            &format!("/api/access-requests/{}/approve", ids.gary_request),
            None,
        )
        .await;

    assert_eq!(approved, 200);
    let emails = app.delivered(1).await;
    assert_eq!(emails.len(), 1, "{emails:#?}");
    let email = &emails[0];
    let link = format!("{PUBLIC_URL}/workspace/{}", ids.fraud);
    assert_eq!(email["to"], "gary@globex.test");
    assert_eq!(
        email["subject"],
        "Your access to Fraud Signals was approved"
    );
    assert_eq!(email["link"], link.as_str());
    assert!(
        email["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Go to workspace: {link}"))
    );
    let html = email["html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{link}\"")));
    assert!(html.contains(">Go to workspace</a>"));
    assert!(email["id"].is_string() && email["created_at"].is_string());

    // Denying another request tells nobody anything by email.
    let hana = app.session("hana").await;
    hana.send(
        Method::POST,
        &format!("/api/workspaces/{}/access-requests", ids.payments),
        Some(json!({})),
    )
    .await;
    let pending = alice.get_json("/api/access-requests").await;
    let request = pending["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        alice
            .status(
                Method::POST,
                &format!("/api/access-requests/{request}/deny"),
                None
            )
            .await,
        200
    );
    assert_eq!(app.mailbox().await.len(), 1);
}

#[tokio::test]
async fn an_invitation_sends_the_partner_one_email_with_the_workspace_link() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;

    let invited = wanda
        .status(
            Method::POST,
            &format!("/api/workspaces/{}/partners", ids.payments),
            Some(json!({ "email": "uma@umbrella.test", "role": "viewer" })),
        )
        .await;

    assert_eq!(invited, 201);
    let emails = app.delivered(1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0]["to"], "uma@umbrella.test");
    assert_eq!(
        emails[0]["subject"],
        "You're invited to Payments API by Acme Payments"
    );
    assert_eq!(
        emails[0]["link"],
        format!("{PUBLIC_URL}/workspace/{}", ids.payments).as_str()
    );
    assert!(
        emails[0]["text"]
            .as_str()
            .unwrap()
            .contains("Wanda Wells of Acme Payments")
    );
}

#[tokio::test]
async fn names_with_markup_are_escaped_in_the_html_part() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    sql(
        &app.db().await,
        "UPDATE users SET name = '<script>alert(1)</script>' WHERE email = 'alice@acme.test'",
        &[],
    )
    .await;
    let renamed = alice
        .status(
            Method::PATCH,
            &format!("/api/workspaces/{}/settings", ids.payments),
            Some(json!({ "name": "<img src=x onerror=alert(2)>" })),
        )
        .await;
    assert_eq!(renamed, 200);

    alice
        .send(
            Method::POST,
            &format!("/api/workspaces/{}/partners", ids.payments),
            Some(json!({ "email": "uma@umbrella.test", "role": "viewer" })),
        )
        .await;

    let email = &app.delivered(1).await[0];
    let html = email["html"].as_str().unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    // The text part is plain text: names as they are.
    assert!(
        email["text"]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")
    );
}

#[tokio::test]
async fn the_dev_mailbox_exists_only_in_demo_or_dev_mode() {
    let app = spawn_app().await;

    let response = app.get("/api/dev/mailbox").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(response).await["error"]["code"], "not_found");
    let demo = spawn_demo().await;
    let mailbox = json(demo.get("/api/dev/mailbox?to=nobody@x.test").await).await;
    assert_eq!(mailbox["total"], 0);
}

#[tokio::test]
async fn the_background_workers_stop_when_the_server_shuts_down() {
    let dir = tempfile::tempdir().unwrap();
    let config = partner_server::Config::for_tests(dir.path().join("stop.db"));
    let app = partner_server::Application::build(config).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    stop.send(()).unwrap();

    let finished = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "run_until returns once the workers have stopped"
    );
}

/// Asks for access to a workspace, as a new request.
async fn ask(session: &Session, workspace: &str) {
    let asked = session
        .status(
            Method::POST,
            &format!("/api/workspaces/{workspace}/access-requests"),
            Some(json!({})),
        )
        .await;
    assert_eq!(asked, 201);
}

/// The access-request digests in the outbox: (recipient, text), by recipient.
async fn digests(app: &TestApp) -> Vec<(String, String)> {
    let db = app.db().await;
    let to = texts(
        &db,
        "SELECT to_email FROM email_outbox WHERE dedupe_key LIKE 'access-digest:%'
         ORDER BY to_email",
        &[],
    )
    .await;
    let bodies = texts(
        &db,
        "SELECT text_body FROM email_outbox WHERE dedupe_key LIKE 'access-digest:%'
         ORDER BY to_email",
        &[],
    )
    .await;
    to.into_iter().zip(bodies).collect()
}

/// Requests to two publishers: Gina and Uma ask Acme (digests to Alice and Paul), Paul and
/// Gina ask Hooli (a digest to Hana).
async fn requests_to_acme_and_hooli(app: &TestApp) {
    let ids = demo_ids(app).await;
    let (gina, uma, paul) = (
        app.session("gina").await,
        app.session("uma").await,
        app.session("paul").await,
    );
    ask(&gina, &ids.fraud).await;
    ask(&uma, &ids.payments).await;
    ask(&paul, &ids.hooli_search).await;
    ask(&gina, &ids.hooli_search).await;
}

/// Whether a digest lists the requests of exactly these people, once each.
fn lists(text: &str, names: &[&str]) -> bool {
    ["Gina Gray", "Uma Ueda", "Paul Parker"]
        .iter()
        .all(|name| text.matches(&format!("{name} (")).count() == usize::from(names.contains(name)))
}

// The server's own worker waits out the default 60 s window: only the test's passes are due.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_digest_passes_at_once_write_each_digest_once() {
    let app = spawn_demo().await;
    requests_to_acme_and_hooli(&app).await;
    // Two handles on the database file, as two server processes would have.
    let (one, two) = (app.db().await, app.db().await);
    let links = &app.state.links;

    let (a, b) = tokio::join!(
        service::access_requests::write_digests(&one, Duration::ZERO, links),
        service::access_requests::write_digests(&two, Duration::ZERO, links)
    );

    assert_eq!(a.unwrap() + b.unwrap(), 3);
    let digests = digests(&app).await;
    let to: Vec<&str> = digests.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(to, ["alice@acme.test", "hana@hooli.test", "paul@acme.test"]);
    for (to, text) in &digests {
        let listed: &[&str] = if to == "hana@hooli.test" {
            &["Paul Parker", "Gina Gray"]
        } else {
            &["Gina Gray", "Uma Ueda"]
        };
        assert!(
            lists(text, listed),
            "{to} gets {listed:?} once each: {text}"
        );
    }
    assert_eq!(
        service::access_requests::write_digests(&one, Duration::ZERO, links)
            .await
            .unwrap(),
        0,
        "every request was told once"
    );
}

#[tokio::test]
async fn a_team_whose_digest_cannot_be_written_holds_back_no_other_team() {
    let app = spawn_demo().await;
    requests_to_acme_and_hooli(&app).await;
    let db = app.db().await;
    let links = &app.state.links;
    // Writing an email to Hana fails, as it would on a full disk or a bad row.
    inject_failure(
        &db,
        "fail_for_hana",
        "INSERT",
        "email_outbox",
        "NEW.to_email = 'hana@hooli.test'",
    )
    .await;

    let failed = service::access_requests::write_digests(&db, Duration::ZERO, links).await;

    assert!(failed.is_err(), "Hooli's failure is reported: {failed:?}");
    let to: Vec<String> = digests(&app).await.into_iter().map(|(to, _)| to).collect();
    assert_eq!(to, ["alice@acme.test", "paul@acme.test"], "Acme's went out");
    let untold: i64 = count(
        &db,
        "SELECT COUNT(*) FROM access_requests WHERE status = 'pending' AND notified_at IS NULL",
        &[],
    )
    .await;
    assert_eq!(untold, 2, "Hooli's requests wait for the next pass");
    heal(&db, "fail_for_hana", "email_outbox").await;
    assert_eq!(
        service::access_requests::write_digests(&db, Duration::ZERO, links)
            .await
            .unwrap(),
        1
    );
    let digests = digests(&app).await;
    assert_eq!(digests.len(), 3);
    let (to, text) = &digests[1];
    assert_eq!(to, "hana@hooli.test");
    assert!(lists(text, &["Paul Parker", "Gina Gray"]), "{text}");
}
