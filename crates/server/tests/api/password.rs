//! `PUT /api/me/password`: changing one's password ends every other session.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, json, spawn_demo, text};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Whether `email` signs in with `password` (in a fresh client).
async fn signs_in(app: &TestApp, email: &str, password: &str) -> u16 {
    app.anonymous()
        .status(
            Method::POST,
            "/api/session",
            Some(json!({ "email": email, "password": password })),
        )
        .await
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = spawn_demo().await;
    let laptop = app.session("paul").await;
    let phone = app.session("paul").await;
    let alice = app.session("alice").await;

    let response = laptop
        .send(
            Method::PUT,
            "/api/me/password",
            Some(json!({ "current_password": "partner-demo", "new_password": NEW_PASSWORD })),
        )
        .await;

    assert_eq!(response.status(), 204);
    assert_eq!(laptop.status(Method::GET, "/api/me", None).await, 200);
    let ended = phone.send(Method::GET, "/api/me", None).await;
    assert_eq!(ended.status(), 401);
    assert_eq!(json(ended).await["error"]["code"], "unauthenticated");
    // Someone else's session is not touched.
    assert_eq!(alice.status(Method::GET, "/api/me", None).await, 200);
    assert_eq!(signs_in(&app, "paul@acme.test", "partner-demo").await, 401);
    assert_eq!(signs_in(&app, "paul@acme.test", NEW_PASSWORD).await, 200);
    // The session kept is still a working one: it can change the password again.
    assert_eq!(
        laptop
            .status(
                Method::PUT,
                "/api/me/password",
                Some(json!({ "current_password": NEW_PASSWORD, "new_password": "partner-demo-2" })),
            )
            .await,
        204
    );
}

#[tokio::test]
async fn a_wrong_current_password_or_a_weak_new_one_is_refused_per_field_and_changes_nothing() {
    let app = spawn_demo().await;
    let laptop = app.session("gina").await;
    let phone = app.session("gina").await;

    for (body, field, why) in [
        (
            json!({ "current_password": "not-my-password", "new_password": NEW_PASSWORD }),
            "current_password",
            "That isn't your current password.",
        ),
        (
            json!({ "current_password": "", "new_password": NEW_PASSWORD }),
            "current_password",
            "Enter your current password.",
        ),
        (
            json!({ "current_password": "partner-demo", "new_password": "short-11chr" }),
            "new_password",
            "Use at least 12 characters.",
        ),
        (
            json!({ "current_password": "partner-demo", "new_password": "partner-demo" }),
            "new_password",
            "Choose a password different from your current one.",
        ),
        (
            json!({ "current_password": "partner-demo", "new_password": "x".repeat(257) }),
            "new_password",
            "Use at most 256 characters.",
        ),
    ] {
        let response = laptop
            .send(Method::PUT, "/api/me/password", Some(body.clone()))
            .await;
        assert_eq!(response.status(), 422, "{body}");
        let error = json(response).await;
        assert_eq!(error["error"]["code"], "invalid", "{body}");
        assert_eq!(error["error"]["fields"][field], why, "{body}");
    }

    assert_eq!(phone.status(Method::GET, "/api/me", None).await, 200);
    assert_eq!(
        signs_in(&app, "gina@globex.test", "partner-demo").await,
        200
    );
}

#[tokio::test]
async fn changing_the_password_needs_a_session_and_the_csrf_header() {
    let app = spawn_demo().await;
    let body = json!({ "current_password": "partner-demo", "new_password": NEW_PASSWORD });

    let anonymous = app
        .anonymous()
        .send(Method::PUT, "/api/me/password", Some(body.clone()))
        .await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(json(anonymous).await["error"]["code"], "unauthenticated");

    let ivan = app.session("ivan").await;
    let without_header = ivan
        .client
        .put(app.url("/api/me/password"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(without_header.status(), 403);
    assert_eq!(json(without_header).await["error"]["code"], "csrf");
    assert_eq!(
        signs_in(&app, "ivan@initech.test", "partner-demo").await,
        200
    );
}

#[tokio::test]
async fn two_changes_racing_with_the_same_current_password_do_not_both_win() {
    let app = spawn_demo().await;
    let laptop = app.session("uma").await;
    let phone = app.session("uma").await;
    let change = |session: crate::helpers::Session, new: &'static str| async move {
        session
            .status(
                Method::PUT,
                "/api/me/password",
                Some(json!({ "current_password": "partner-demo", "new_password": new })),
            )
            .await
    };

    let (a, b) = tokio::join!(
        change(laptop.clone(), "laptop password 1"),
        change(phone.clone(), "phone password 22")
    );

    let mut statuses = [a, b];
    statuses.sort_unstable();
    // The loser either lost its session to the winner (401) or found the password changed.
    assert!(
        statuses == [204, 401] || statuses == [204, 422],
        "{statuses:?}"
    );
    let winner = if a == 204 {
        "laptop password 1"
    } else {
        "phone password 22"
    };
    let loser = if a == 204 {
        "phone password 22"
    } else {
        "laptop password 1"
    };
    assert_eq!(signs_in(&app, "uma@umbrella.test", winner).await, 200);
    assert_eq!(signs_in(&app, "uma@umbrella.test", loser).await, 401);
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_like_failed_sign_ins() {
    let app = spawn_demo().await;
    let mike = app.session("mike").await;
    let guess = |password: &'static str| {
        let mike = mike.clone();
        async move {
            mike.send(
                Method::PUT,
                "/api/me/password",
                Some(json!({ "current_password": password, "new_password": NEW_PASSWORD })),
            )
            .await
        }
    };

    for _ in 0..5 {
        assert_eq!(guess("a wrong guess").await.status(), 422);
    }
    // A stolen session is no way to guess the password: the client waits, even with the
    // right one, as it would on the sign-in form.
    let refused = guess("partner-demo").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(json(refused).await["error"]["code"], "rate_limited");
    // Nothing changed.
    let stored: String = text(
        &app.db().await,
        "SELECT password_hash FROM users WHERE email = ?",
        &[&"mike@acme.test"],
    )
    .await;
    assert!(partner_server::domain::password::verify(
        "partner-demo",
        &stored
    ));
}
