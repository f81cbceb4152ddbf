//! Hostile input at the server's edge: markup in every text people write, writes without
//! the CSRF header, oversized and malformed bodies, and other teams' ids. (Emails escape
//! markup: tests/api/emails.rs and the unit tests of email::templates.)

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{DemoIds, Session, TestApp, demo_ids, json, spawn_demo, sql};

const SCRIPT: &str = "<script>alert(\"x\")</script>";
const IMG: &str = "<img src=x onerror='alert(1)'>&amp; \u{202e}";

#[tokio::test]
async fn markup_in_names_messages_and_summaries_comes_back_verbatim_as_json() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let db = app.db().await;
    // Names the API cannot set (people and teams come from sign-up) are set in SQL.
    sql(
        &db,
        "UPDATE users SET name = ? WHERE email = 'gary@globex.test'",
        &[&SCRIPT],
    )
    .await;
    sql(
        &db,
        "UPDATE teams SET name = ? WHERE domain = 'umbrella.test'",
        &[&IMG],
    )
    .await;

    let settings = alice
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/settings", ids.payments),
            Some(json!({ "name": SCRIPT, "summary": IMG })),
        )
        .await;
    assert_eq!(settings.status(), 200);
    let hana = app.session("hana").await;
    let asked = hana
        .send(
            Method::POST,
            &format!("/api/workspaces/{}/access-requests", ids.fraud),
            Some(json!({ "message": IMG })),
        )
        .await;
    assert_eq!(asked.status(), 201);

    // Every answer is JSON that browsers may not sniff as HTML, carrying the text as it was.
    let reads = [
        (&alice, format!("/api/workspaces/{}", ids.payments)),
        (&alice, format!("/api/workspaces/{}/members", ids.payments)),
        (&alice, "/api/workspaces?tab=all".to_owned()),
        (&alice, "/api/access-requests".to_owned()),
        (&alice, "/api/partnerships?q=%3Cimg".to_owned()),
        (&alice, format!("/api/partnerships/{}", ids.globex)),
        (&alice, format!("/api/partnerships/{}", ids.umbrella)),
    ];
    let mut seen = String::new();
    for (session, path) in reads {
        let response = session.send(Method::GET, &path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{path}"
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        seen.push_str(&json(response).await.to_string());
    }
    let ivan = app.session("ivan").await;
    seen.push_str(
        &ivan
            .get_json("/api/workspaces?tab=shared_partner")
            .await
            .to_string(),
    );
    // serde_json escapes only quotes and backslashes: markup arrives as the same text.
    for text in [SCRIPT, IMG] {
        let encoded = serde_json::to_string(text).unwrap();
        assert!(
            seen.contains(&encoded),
            "{text:?} did not come back verbatim"
        );
    }
    let workspace = alice
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    assert_eq!(workspace["name"], SCRIPT);
    assert_eq!(workspace["summary"], IMG);
    let requests = alice.get_json("/api/access-requests").await;
    let hanas = requests["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"]["email"] == "hana@hooli.test")
        .unwrap();
    assert_eq!(hanas["message"], IMG);
    let umbrella = alice.get_json("/api/partnerships?q=%3Cimg").await;
    assert_eq!(umbrella["items"][0]["team"]["name"], IMG);
}

/// Fills a path of the OpenAPI document with demo ids.
fn concrete(path: &str, ids: &DemoIds) -> String {
    let id = if path.starts_with("/access-requests/") {
        &ids.gary_request
    } else {
        &ids.payments
    };
    format!(
        "/api{}",
        path.replace("{id}", id)
            .replace("{user_id}", &ids.gary)
            .replace("{team_id}", &ids.umbrella)
    )
}

/// Every mutating operation of the API, from its OpenAPI document.
async fn mutating_operations(app: &TestApp, ids: &DemoIds) -> Vec<(Method, String, bool)> {
    let doc = json(app.get("/api/openapi.json").await).await;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method = match method.as_str() {
                "post" => Method::POST,
                "put" => Method::PUT,
                "patch" => Method::PATCH,
                "delete" => Method::DELETE,
                _ => continue,
            };
            let has_body = operation.get("requestBody").is_some();
            operations.push((method, concrete(path, ids), has_body));
        }
    }
    assert!(operations.len() >= 10, "{operations:?}");
    operations
}

/// What the demo data looks like to alice, to prove nothing changed.
async fn snapshot(alice: &Session, ids: &DemoIds) -> Vec<Value> {
    let mut state = Vec::new();
    for path in [
        format!("/api/workspaces/{}", ids.payments),
        format!("/api/workspaces/{}/members", ids.payments),
        format!("/api/workspaces/{}/members", ids.fraud),
        "/api/access-requests?status=pending".to_owned(),
        "/api/partnerships".to_owned(),
        "/api/migration".to_owned(),
        "/api/me".to_owned(),
    ] {
        state.push(alice.get_json(&path).await);
    }
    state
}

#[tokio::test]
async fn no_write_goes_through_without_the_csrf_header() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let before = snapshot(&alice, &ids).await;

    for (method, path, _) in mutating_operations(&app, &ids).await {
        // What a cross-site form can send: a simple content type, no custom header; and
        // the header with the wrong value.
        for (header, content_type) in [
            (None, "application/x-www-form-urlencoded"),
            (None, "text/plain"),
            (None, "application/json"),
            (Some("XMLHttpRequest"), "application/json"),
        ] {
            let mut request = alice
                .client
                .request(method.clone(), app.url(&path))
                .header("content-type", content_type)
                .body(r#"{"dry_run":false,"multi_partner_mode":true,"role":"editor"}"#);
            if let Some(value) = header {
                request = request.header("x-requested-with", value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 403, "{method} {path} {header:?}");
            assert_eq!(
                json(response).await["error"]["code"],
                "csrf",
                "{method} {path}"
            );
        }
    }

    assert_eq!(snapshot(&alice, &ids).await, before, "nothing changed");
    assert_eq!(alice.status(Method::GET, "/api/me", None).await, 200);
}

#[tokio::test]
async fn oversized_and_malformed_bodies_get_json_errors_and_change_nothing() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let before = snapshot(&alice, &ids).await;
    let oversized = format!(r#"{{"name":"{}"}}"#, "x".repeat(64 * 1024));
    // Deeper than serde_json follows, within the size limit.
    let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    let cases: Vec<(&str, Vec<u8>, &str, u16, &str)> = vec![
        (
            "over 64 KiB",
            oversized.into_bytes(),
            "application/json",
            413,
            "payload_too_large",
        ),
        (
            "not JSON",
            b"{\"name\": ".to_vec(),
            "application/json",
            400,
            "bad_request",
        ),
        (
            "not UTF-8",
            b"{\"name\": \"\xff\xfe\"}".to_vec(),
            "application/json",
            400,
            "bad_request",
        ),
        (
            "nested 30,000 deep",
            deep.into_bytes(),
            "application/json",
            400,
            "bad_request",
        ),
        (
            "an array",
            b"[null, null]".to_vec(),
            "application/json",
            422,
            "invalid",
        ),
        (
            "a string",
            b"\"name\"".to_vec(),
            "application/json",
            422,
            "invalid",
        ),
        ("null", b"null".to_vec(), "application/json", 422, "invalid"),
        (
            "a wrong type",
            br#"{"dry_run":"yes","multi_partner_mode":"on","role":7,"email":[],"password":{}}"#
                .to_vec(),
            "application/json",
            422,
            "invalid",
        ),
        (
            "JSON sent as text",
            b"{}".to_vec(),
            "text/plain",
            415,
            "unsupported_media_type",
        ),
        (
            "no content type",
            b"{}".to_vec(),
            "",
            415,
            "unsupported_media_type",
        ),
    ];

    for (method, path, has_body) in mutating_operations(&app, &ids).await {
        if !has_body {
            continue;
        }
        for (what, body, content_type, status, code) in &cases {
            let mut request = alice
                .client
                .request(method.clone(), app.url(&path))
                .header("x-requested-with", "partner-workspaces")
                .body(body.clone());
            if !content_type.is_empty() {
                request = request.header("content-type", *content_type);
            }
            let response = request.send().await.unwrap();
            let got = response.status().as_u16();
            let answer = json(response).await;
            assert_eq!(
                (got, answer["error"]["code"].as_str()),
                (*status, Some(*code)),
                "{what} to {method} {path}: {answer}"
            );
        }
    }

    assert_eq!(snapshot(&alice, &ids).await, before, "nothing changed");
}

/// Sends one request and returns its status and body text.
async fn answer(
    session: &Session,
    method: &Method,
    path: &str,
    body: &Option<Value>,
) -> (StatusCode, String) {
    let response = session.send(method.clone(), path, body.clone()).await;
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn other_teams_ids_answer_exactly_like_unknown_ids() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let unknown = "0123456789abcdef0123456789abcdef";
    // Hana (Hooli's Team Admin) and Uma (an Umbrella partner in Fraud Signals only) aim at
    // Acme's workspaces, grants, partnerships and requests they have no part in.
    let hana = app.session("hana").await;
    let uma = app.session("uma").await;
    let role = Some(json!({ "role": "viewer" }));
    let invite = Some(json!({ "email": "ivan@initech.test", "role": "viewer" }));
    let settings = Some(json!({ "multi_partner_mode": true }));
    let cases: Vec<(&Session, Method, String, String, Option<Value>)> = vec![
        // Workspaces: another team's partner and internal workspaces.
        (
            &hana,
            Method::GET,
            format!("/api/workspaces/{}", ids.payments),
            format!("/api/workspaces/{unknown}"),
            None,
        ),
        (
            &hana,
            Method::GET,
            format!("/api/workspaces/{}/members", ids.payments),
            format!("/api/workspaces/{unknown}/members"),
            None,
        ),
        (
            &hana,
            Method::GET,
            format!("/api/workspaces/{}", ids.internal),
            format!("/api/workspaces/{unknown}"),
            None,
        ),
        (
            &hana,
            Method::GET,
            format!("/api/workspaces/{}/access", ids.internal),
            format!("/api/workspaces/{unknown}/access"),
            None,
        ),
        (
            &uma,
            Method::GET,
            format!("/api/workspaces/{}", ids.refunds),
            format!("/api/workspaces/{unknown}"),
            None,
        ),
        (
            &hana,
            Method::PATCH,
            format!("/api/workspaces/{}/settings", ids.payments),
            format!("/api/workspaces/{unknown}/settings"),
            settings.clone(),
        ),
        (
            &uma,
            Method::PATCH,
            format!("/api/workspaces/{}/settings", ids.payments),
            format!("/api/workspaces/{unknown}/settings"),
            settings,
        ),
        (
            &hana,
            Method::POST,
            format!("/api/workspaces/{}/partners", ids.payments),
            format!("/api/workspaces/{unknown}/partners"),
            invite.clone(),
        ),
        (
            &hana,
            Method::POST,
            format!("/api/workspaces/{}/access-requests", ids.internal),
            format!("/api/workspaces/{unknown}/access-requests"),
            Some(json!({})),
        ),
        // Partner grants: someone else's grant in someone else's workspace.
        (
            &hana,
            Method::PATCH,
            format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gary),
            format!("/api/workspaces/{unknown}/partners/{unknown}"),
            role.clone(),
        ),
        (
            &hana,
            Method::DELETE,
            format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gary),
            format!("/api/workspaces/{unknown}/partners/{unknown}"),
            None,
        ),
        (
            &uma,
            Method::DELETE,
            format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gina),
            format!("/api/workspaces/{unknown}/partners/{unknown}"),
            None,
        ),
        // A grant of a workspace one can see, for a person who has none there.
        (
            &hana,
            Method::PATCH,
            format!("/api/workspaces/{}/partners/{}", ids.hooli_search, ids.gary),
            format!("/api/workspaces/{}/partners/{unknown}", ids.hooli_search),
            role,
        ),
        (
            &hana,
            Method::DELETE,
            format!("/api/workspaces/{}/partners/{}", ids.hooli_search, ids.uma),
            format!("/api/workspaces/{}/partners/{unknown}", ids.hooli_search),
            None,
        ),
        // Partnerships: Acme's partner teams, seen from Hooli.
        (
            &hana,
            Method::GET,
            format!("/api/partnerships/{}", ids.globex),
            format!("/api/partnerships/{unknown}"),
            None,
        ),
        (
            &hana,
            Method::DELETE,
            format!("/api/partnerships/{}", ids.umbrella),
            format!("/api/partnerships/{unknown}"),
            None,
        ),
        // Access requests to Acme's workspaces, decided from Hooli.
        (
            &hana,
            Method::POST,
            format!("/api/access-requests/{}/approve", ids.gary_request),
            format!("/api/access-requests/{unknown}/approve"),
            None,
        ),
        (
            &hana,
            Method::POST,
            format!("/api/access-requests/{}/deny", ids.gary_request),
            format!("/api/access-requests/{unknown}/deny"),
            None,
        ),
    ];

    for (session, method, foreign, unknown_path, body) in &cases {
        let theirs = answer(session, method, foreign, body).await;
        let nobodys = answer(session, method, unknown_path, body).await;
        assert_eq!(theirs.0, 404, "{method} {foreign}: {}", theirs.1);
        assert_eq!(theirs, nobodys, "{method} {foreign} vs {unknown_path}");
        for secret in ["Acme", "Payments", "Gary", "gary@", "Globex", "Umbrella"] {
            assert!(
                !theirs.1.contains(secret),
                "{method} {foreign} names {secret}"
            );
        }
    }

    // None of it changed anything.
    let alice = app.session("alice").await;
    let payments = alice
        .get_json(&format!("/api/workspaces/{}/members", ids.payments))
        .await;
    assert_eq!(payments["partners"].as_array().unwrap().len(), 3);
    assert_eq!(alice.get_json("/api/access-requests").await["total"], 1);
    assert_eq!(alice.get_json("/api/partnerships").await["total"], 3);
}

#[tokio::test]
async fn panics_and_timeouts_answer_the_json_error_body() {
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use std::time::Duration;
    use tower::ServiceExt;

    // Handlers that panic and that hang, under exactly the layers every response passes.
    let router = partner_server::routes::outermost_layers(
        Router::new()
            .route(
                "/api/panics",
                get(|| async { panic!("a handler panicked") }),
            )
            .route(
                "/api/hangs",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    "too late"
                }),
            ),
        Duration::from_millis(100),
    );
    for (path, status, code) in [
        ("/api/panics", 500, "internal"),
        ("/api/hangs", 503, "unavailable"),
    ] {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{path}"
        );
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body:?}"));
        assert_eq!(body["error"]["code"], code, "{path}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("Try again"), "{path}: {message}");
    }
}

/// U+0000 can't be stored in PostgreSQL text and is no part of any name, address, message
/// or id: wherever it comes in (query, path, JSON body, sign-in), the answer is a JSON
/// error that says so, never a 500, on both backends.
#[tokio::test]
async fn the_nul_character_is_refused_everywhere_with_a_json_error() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let paul = app.session("paul").await;

    for (method, path, body, status) in [
        (Method::GET, "/api/partnerships?q=%00".to_owned(), None, 422),
        (
            Method::GET,
            "/api/partnerships?q=ab%00c".to_owned(),
            None,
            422,
        ),
        (
            Method::GET,
            "/api/access-requests?status=pending%00".to_owned(),
            None,
            422,
        ),
        (Method::GET, "/api/partnerships/x%00y".to_owned(), None, 404),
        (
            Method::GET,
            format!("/api/workspaces/{}%00", ids.payments),
            None,
            404,
        ),
        (
            Method::POST,
            format!("/api/workspaces/{}/partners", ids.payments),
            Some(json!({"email": "uma@umbrella.test\u{0}", "role": "viewer"})),
            422,
        ),
        (
            Method::POST,
            format!("/api/workspaces/{}/access-requests", ids.fraud),
            Some(json!({"message": "please\u{0}"})),
            422,
        ),
    ] {
        let response = paul.send(method.clone(), &path, body).await;
        assert_eq!(response.status(), status, "{method} {path}");
        let error = json(response).await;
        assert!(error["error"]["message"].is_string(), "{path}: {error}");
        if status == 422 {
            assert!(
                error["error"]["message"].as_str().unwrap().contains("NUL"),
                "{path}: {error}"
            );
        }
    }
    let sign_in = app
        .anonymous()
        .send(
            Method::POST,
            "/api/session",
            Some(json!({"email": "paul@acme.test\u{0}", "password": "publisher-demo"})),
        )
        .await;
    assert_eq!(sign_in.status(), 422);
    // Nothing was changed by any of them.
    assert_eq!(paul.get_json("/api/partnerships").await["total"], 3);
}
