//! Membership and approval rules that hold over time: leaving a team ends every role it
//! gave, and an access request is re-checked when it is decided, not only when it was asked.

use reqwest::Method;
use serde_json::Value;

use partner_server::service;

use crate::helpers::{TestApp, count, demo_ids, json, spawn_demo, text, texts};

async fn sql(app: &TestApp, statement: &str) {
    app.sql(statement, &[]).await;
}

async fn audit_actions(app: &TestApp, subject: &str) -> Vec<String> {
    texts(
        &app.db().await,
        "SELECT action FROM audit_log WHERE subject_id = ? ORDER BY id",
        &[&subject],
    )
    .await
}

#[tokio::test]
async fn rejoining_a_team_does_not_restore_old_workspace_roles() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda_id: String = text(
        &app.db().await,
        "SELECT id FROM users WHERE email = 'wanda@acme.test'",
        &[],
    )
    .await;
    let roles: i64 = count(
        &app.db().await,
        "SELECT COUNT(*) FROM workspace_members WHERE user_id = ?",
        &[&wanda_id],
    )
    .await;
    let wanda = app.session("wanda").await;
    let path = format!("/api/workspaces/{}", ids.payments);
    assert_eq!(wanda.get_json(&path).await["your_role"], "admin");

    service::membership::remove_from_team(&app.db().await, &wanda_id, None)
        .await
        .unwrap();
    // Months later she joins Acme again, as a member.
    sql(
        &app,
        "UPDATE users SET team_id = (SELECT id FROM teams WHERE domain = 'acme.test'),
                          team_role = 'member' WHERE email = 'wanda@acme.test'",
    )
    .await;

    let workspace = wanda.get_json(&path).await;
    assert_eq!(workspace["your_role"], "viewer", "{workspace}");
    assert_eq!(workspace["permissions"]["manage_settings"], false);
    let patch = wanda
        .send(
            Method::PATCH,
            &format!("{path}/settings"),
            Some(serde_json::json!({ "multi_partner_mode": true })),
        )
        .await;
    assert_eq!(patch.status(), 403);
    // What ended is on the record: each of her workspace roles, then her leaving.
    let mut ended = vec!["workspace_role.ended"; roles as usize];
    ended.push("member.left_team");
    assert!(roles >= 2, "wanda is Workspace Admin of two workspaces");
    assert_eq!(audit_actions(&app, &wanda_id).await, ended);
}

/// Approves request `id` as alice.
async fn approve(app: &TestApp, id: &str) -> (u16, Value) {
    let alice = app.session("alice").await;
    let response = alice
        .send(
            Method::POST,
            &format!("/api/access-requests/{id}/approve"),
            None,
        )
        .await;
    (response.status().as_u16(), json(response).await)
}

async fn garys_grants(app: &TestApp) -> i64 {
    count(
        &app.db().await,
        "SELECT COUNT(*) FROM partner_grants g JOIN users u ON u.id = g.user_id
         WHERE u.email = 'gary@globex.test' AND g.revoked_at IS NULL
           AND g.workspace_id = (SELECT id FROM workspaces WHERE name = 'Fraud Signals')",
        &[],
    )
    .await
}

#[tokio::test]
async fn a_request_from_someone_who_has_since_joined_the_publisher_is_not_approved() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    sql(
        &app,
        "UPDATE users SET team_id = (SELECT id FROM teams WHERE domain = 'acme.test'),
                          team_role = 'member' WHERE email = 'gary@globex.test'",
    )
    .await;

    let (status, body) = approve(&app, &ids.gary_request).await;

    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("joined your team"), "{message}");
    assert_eq!(
        garys_grants(&app).await,
        0,
        "no grant from a team to itself"
    );
    let pending = app
        .session("alice")
        .await
        .get_json("/api/access-requests?status=pending")
        .await;
    assert_eq!(pending["total"], 0, "the moot request was dropped");
}

#[tokio::test]
async fn a_request_to_a_workspace_that_is_no_longer_shared_is_not_approved() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    sql(
        &app,
        "UPDATE workspaces SET visibility = 'internal', multi_partner_mode = FALSE
         WHERE name = 'Fraud Signals'",
    )
    .await;

    let (status, body) = approve(&app, &ids.gary_request).await;

    assert_eq!(status, 409, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("no longer shared"), "{message}");
    assert_eq!(garys_grants(&app).await, 0);
}
