//! Sessions, the CSRF guard and bad input.

use std::time::Instant;

use futures_util::FutureExt;
use reqwest::{Method, StatusCode, header};
use serde_json::json;

use partner_server::service;

use crate::helpers::{
    Options, blobs, count, demo_ids, email, json, random_blob, spawn_app_with, spawn_demo, sql,
};

#[tokio::test]
async fn signing_in_sets_a_safe_cookie_and_me_answers() {
    let app = spawn_demo().await;
    let anon = app.anonymous();

    let response = anon
        .send(
            Method::POST,
            "/api/session",
            Some(json!({"email": "Paul@Acme.test", "password": "partner-demo"})),
        )
        .await;

    assert_eq!(response.status(), 200);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("pw_session="), "{cookie}");
    let token = cookie
        .trim_start_matches("pw_session=")
        .split(';')
        .next()
        .unwrap();
    assert_eq!(token.len(), 64, "256 random bits, hex");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http origin: {cookie}");
    let me = json(response).await;
    assert_eq!(me["user"]["email"], "paul@acme.test");
    assert_eq!(me["team"]["name"], "Acme Payments");
    assert_eq!(me["team"]["plan"], "professional");
    assert_eq!(me["is_partner_manager"], true);
    assert_eq!(
        anon.get_json("/api/me").await["user"]["email"],
        "paul@acme.test"
    );

    // The token is stored hashed: the database never holds the cookie value.
    let db = app.db().await;
    let stored = blobs(&db, "SELECT token_hash FROM sessions").await;
    assert!(
        stored
            .iter()
            .all(|h| h.len() == 32 && h.as_slice() != token.as_bytes())
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer_in_similar_time() {
    let app = spawn_demo().await;
    let anon = app.anonymous();
    let attempt = |email: &'static str| {
        let anon = anon.clone();
        async move {
            let started = Instant::now();
            let response = anon
                .send(
                    Method::POST,
                    "/api/session",
                    Some(json!({"email": email, "password": "wrong-password"})),
                )
                .await;
            let status = response.status();
            (status, response.text().await.unwrap(), started.elapsed())
        }
    };
    // The fastest of a few attempts each: robust to a busy machine, and still far apart
    // if one path skipped the password hash (microseconds against milliseconds).
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..3 {
        known.push(attempt("paul@acme.test").await);
        unknown.push(attempt("nobody@acme.test").await);
    }
    let (known_status, known_body, _) = known[0].clone();
    for (status, body, _) in unknown.iter().chain(&known) {
        assert_eq!((status, body), (&known_status, &known_body));
    }
    assert_eq!(known_status, StatusCode::UNAUTHORIZED);
    assert!(known_body.contains("invalid_credentials"));
    let fastest = |runs: &[(StatusCode, String, std::time::Duration)]| {
        runs.iter().map(|r| r.2).min().unwrap()
    };
    let (known_time, unknown_time) = (fastest(&known), fastest(&unknown));
    let (fast, slow) = (known_time.min(unknown_time), known_time.max(unknown_time));
    assert!(
        slow < fast * 5,
        "known {known_time:?} vs unknown {unknown_time:?}"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = spawn_demo().await;
    let paul = app.session("paul").await;

    let response = paul.send(Method::DELETE, "/api/session", None).await;

    assert_eq!(response.status(), 204);
    let me = paul.send(Method::GET, "/api/me", None).await;
    assert_eq!(me.status(), 401);
    assert_eq!(json(me).await["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn mutations_without_the_csrf_header_are_refused() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;

    for (method, path) in [
        (Method::POST, "/api/session".to_owned()),
        (Method::DELETE, "/api/session".to_owned()),
        (
            Method::PATCH,
            format!("/api/workspaces/{}/settings", ids.payments),
        ),
        (
            Method::DELETE,
            format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gary),
        ),
        (
            Method::POST,
            format!("/api/access-requests/{}/approve", ids.gary_request),
        ),
    ] {
        let response = alice
            .client
            .request(method.clone(), app.url(&path))
            .header("content-type", "application/json")
            .body(r#"{"multi_partner_mode":true}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
        assert_eq!(json(response).await["error"]["code"], "csrf");
    }
    // Nothing changed.
    let payments = alice
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    assert_eq!(payments["multi_partner_mode"], false);
    assert_eq!(alice.get_json("/api/access-requests").await["total"], 1);
}

#[tokio::test]
async fn leaving_the_team_ends_partner_access_at_once_sessions_included() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let gina = app.session("gina").await;
    let path = format!("/api/workspaces/{}", ids.payments);
    assert_eq!(gina.status(Method::GET, &path, None).await, 200);

    service::membership::remove_from_team(&app.db().await, &ids.gina, None)
        .await
        .unwrap();

    // Same session, next request: access is gone and she is told why.
    let response = gina.send(Method::GET, &path, None).await;
    assert_eq!(response.status(), 403);
    assert_eq!(json(response).await["error"]["code"], "access_ended");
    assert_eq!(
        gina.get_json("/api/workspaces?tab=shared_partner").await["total"],
        0
    );
    assert_eq!(
        gina.get_json("/api/me").await["team"],
        serde_json::Value::Null
    );
    // Her seat is free again.
    let seats = app.session("alice").await.get_json("/api/seats").await;
    assert_eq!(seats["editor_seats_used"], 0);
}

#[tokio::test]
async fn bad_input_gets_clear_errors_and_changes_nothing() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let invite = app.url(&format!("/api/workspaces/{}/partners", ids.payments));
    let send = |body: String, content_type: &'static str| {
        alice
            .client
            .post(invite.clone())
            .header("x-requested-with", "partner-workspaces")
            .header("content-type", content_type)
            .body(body)
            .send()
            .map(|r| r.expect("the server answers"))
    };

    const JSON: &str = "application/json";
    let body = |email: &str, role: &str| json!({"email": email, "role": role}).to_string();
    let long_email = "a".repeat(70_000);

    let cases = [
        ("{not json".to_owned(), JSON, 400, "bad_request"),
        (
            body("a@b.test", "viewer"),
            "text/plain",
            415,
            "unsupported_media_type",
        ),
        (body(&long_email, "viewer"), JSON, 413, "payload_too_large"),
        (body("a@b.test", "owner"), JSON, 422, "invalid"),
        (body("not an email", "viewer"), JSON, 422, "invalid"),
        (
            body("nobody@nowhere.test", "viewer"),
            JSON,
            422,
            "not_allowed",
        ),
        (body("mike@acme.test", "viewer"), JSON, 422, "not_allowed"),
        (
            body("gary@globex.test", "viewer"),
            JSON,
            409,
            "already_partner",
        ),
    ];
    for (request, content_type, status, code) in cases {
        let response = send(request, content_type).await;
        assert_eq!(response.status().as_u16(), status, "expected {code}");
        let reply = json(response).await;
        assert_eq!(reply["error"]["code"], code, "{reply}");
        assert!(reply["error"]["message"].as_str().unwrap().len() > 5);
    }
    let malformed = send(body("not an email", "viewer"), JSON).await;
    assert!(json(malformed).await["error"]["fields"]["email"].is_string());

    for (path, field) in [
        ("/api/partnerships?per_page=500", "per_page"),
        ("/api/partnerships?page=0", "page"),
    ] {
        let response = alice.send(Method::GET, path, None).await;
        assert_eq!(response.status(), 422, "{path}");
        assert!(
            json(response).await["error"]["fields"][field].is_string(),
            "{path}"
        );
    }
    let response = alice
        .send(Method::GET, "/api/partnerships?sso=maybe", None)
        .await;
    assert_eq!(response.status(), 422);
    let response = alice
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/settings", ids.payments),
            Some(json!({"name": "  "})),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(json(response).await["error"]["fields"]["name"].is_string());

    let members = alice
        .get_json(&format!("/api/workspaces/{}/members", ids.payments))
        .await;
    assert_eq!(
        members["partners"].as_array().unwrap().len(),
        3,
        "nothing was invited"
    );
    assert_eq!(email("gary"), "gary@globex.test");
}

#[tokio::test]
async fn signing_in_as_someone_else_ends_the_previous_session() {
    let app = spawn_demo().await;
    let browser = app.session("paul").await;
    let paul_cookie = app.db().await;
    let before: i64 = count(&paul_cookie, "SELECT COUNT(*) FROM sessions", &[]).await;

    let response = browser
        .send(
            Method::POST,
            "/api/session",
            Some(json!({"email": email("gina"), "password": "partner-demo"})),
        )
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        browser.get_json("/api/me").await["user"]["email"],
        "gina@globex.test"
    );
    let after: i64 = count(&paul_cookie, "SELECT COUNT(*) FROM sessions", &[]).await;
    assert_eq!(
        (before, after),
        (1, 1),
        "paul's session ended when gina signed in"
    );
}

#[tokio::test]
async fn an_https_site_uses_a_host_prefixed_secure_cookie() {
    let app = spawn_app_with(Options {
        demo: true,
        public_url: Some("https://partners.example"),
        ..Options::default()
    })
    .await;
    let response = app
        .anonymous()
        .send(
            Method::POST,
            "/api/session",
            Some(json!({"email": email("paul"), "password": "partner-demo"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    // What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
    assert!(cookie.starts_with("__Host-pw_session="), "{cookie}");
    for attribute in ["Secure", "Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    let token = cookie
        .trim_start_matches("__Host-pw_session=")
        .split(';')
        .next()
        .unwrap();
    let me = |name: &str| {
        reqwest::Client::new()
            .get(app.url("/api/me"))
            .header(header::COOKIE, format!("{name}={token}"))
            .send()
    };
    assert_eq!(me("__Host-pw_session").await.unwrap().status(), 200);
    // The unprefixed name, which any subdomain or http page could set, is not read.
    assert_eq!(me("pw_session").await.unwrap().status(), 401);
}

#[tokio::test]
async fn expired_sessions_are_deleted_and_current_ones_kept() {
    let app = spawn_demo().await;
    let paul = app.session("paul").await;
    let db = app.db().await;
    // 2,500 sessions that ended yesterday (more than one sweep batch).
    sql(
        &db,
        &format!(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 2500)
         INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
         SELECT {}, u.id, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'
         FROM k, users u WHERE u.email = 'ivan@initech.test'",
            random_blob()
        ),
        &[],
    )
    .await;

    let deleted = partner_server::jobs::sweep_expired_sessions(&app.state)
        .await
        .unwrap();

    assert_eq!(deleted, 2500);
    let left: i64 = count(&db, "SELECT COUNT(*) FROM sessions", &[]).await;
    assert_eq!(left, 1, "paul's session stays");
    assert_eq!(paul.status(Method::GET, "/api/me", None).await, 200);
}
