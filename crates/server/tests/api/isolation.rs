//! Multi-partner mode: in Fraud Signals (mode ON) a partner sees the publisher's members and
//! their own team's partners only, through every endpoint; the publisher sees everyone.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{demo_ids, spawn_demo};

fn emails(members: &Value, key: &str) -> Vec<String> {
    let mut list: Vec<String> = members[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["email"].as_str().unwrap().to_owned())
        .collect();
    list.sort();
    list
}

const ACME: [&str; 3] = ["alice@acme.test", "mike@acme.test", "wanda@acme.test"];

#[tokio::test]
async fn partners_see_the_publisher_and_their_own_team_only() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let path = format!("/api/workspaces/{}/members", ids.fraud);

    let uma = app.session("uma").await.get_json(&path).await;
    let ivan = app.session("ivan").await.get_json(&path).await;
    let wanda = app.session("wanda").await.get_json(&path).await;

    assert_eq!(emails(&uma, "publisher_members"), ACME);
    assert_eq!(emails(&uma, "partners"), ["uma@umbrella.test"]);
    assert_eq!(emails(&ivan, "publisher_members"), ACME);
    assert_eq!(emails(&ivan, "partners"), ["ivan@initech.test"]);
    assert_eq!(
        emails(&wanda, "partners"),
        ["ivan@initech.test", "uma@umbrella.test"]
    );
}

#[tokio::test]
async fn nothing_uma_can_reach_mentions_ivan_or_initech() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let uma = app.session("uma").await;
    let paths = [
        "/api/me".to_owned(),
        "/api/seats".to_owned(),
        "/api/workspaces?tab=shared_partner".to_owned(),
        "/api/workspaces?tab=shared_partner&q=i".to_owned(),
        "/api/workspaces?tab=all".to_owned(),
        format!("/api/workspaces/{}", ids.fraud),
        format!("/api/workspaces/{}/members", ids.fraud),
        format!("/api/workspaces/{}/access", ids.fraud),
        // Other workspaces and teams ivan is in: not found, and not named.
        format!("/api/workspaces/{}", ids.payments),
        format!("/api/workspaces/{}/members", ids.payments),
        format!("/api/workspaces/{}/members", ids.refunds),
        format!("/api/workspaces/{}", ids.hooli_search),
        format!("/api/partnerships/{}", ids.initech),
        "/api/partnerships?q=ini".to_owned(),
        "/api/access-requests".to_owned(),
    ];
    let mut bodies = Vec::new();
    for path in &paths {
        let body = uma
            .send(Method::GET, path, None)
            .await
            .text()
            .await
            .unwrap();
        bodies.push((path.clone(), body));
    }
    // Errors of writes aimed at ivan's grants.
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/workspaces/{}/partners/{}", ids.fraud, ids.ivan),
            Some(json!({"role": "viewer"})),
        ),
        (
            Method::DELETE,
            format!("/api/workspaces/{}/partners/{}", ids.fraud, ids.ivan),
            None,
        ),
        (
            Method::POST,
            format!("/api/workspaces/{}/partners", ids.fraud),
            Some(json!({"email": "ivan@initech.test", "role": "viewer"})),
        ),
    ] {
        let text = uma
            .send(method.clone(), &path, body)
            .await
            .text()
            .await
            .unwrap();
        bodies.push((format!("{method} {path}"), text));
    }
    for (path, body) in bodies {
        for secret in [
            "ivan",
            "Ivan",
            "Initech",
            "initech",
            ids.ivan.as_str(),
            ids.initech.as_str(),
        ] {
            assert!(
                !body.contains(secret),
                "{path} reveals {secret:?} to uma: {body}"
            );
        }
    }
}

#[tokio::test]
async fn turning_multi_partner_mode_on_makes_editors_viewers_and_frees_their_seats() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;
    let before = wanda.get_json("/api/seats").await;
    assert_eq!(before["editor_seats_used"], 1);

    let changed = wanda
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/settings", ids.payments),
            Some(json!({"multi_partner_mode": true})),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let changed = crate::helpers::json(changed).await;

    assert_eq!(changed["workspace"]["multi_partner_mode"], true);
    let changes = changed["role_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["user"]["email"], "gina@globex.test");
    assert_eq!(
        (changes[0]["from"].as_str(), changes[0]["to"].as_str()),
        (Some("editor"), Some("viewer"))
    );
    assert_eq!(wanda.get_json("/api/seats").await["editor_seats_used"], 0);
    // gina now sees only Acme and Globex in Payments API.
    let gina = app.session("gina").await;
    let members = gina
        .get_json(&format!("/api/workspaces/{}/members", ids.payments))
        .await;
    assert_eq!(
        emails(&members, "partners"),
        ["gary@globex.test", "gina@globex.test"]
    );
    assert_eq!(
        gina.get_json(&format!("/api/workspaces/{}", ids.payments))
            .await["your_role"],
        "partner_viewer"
    );
    // And Editor is refused while the mode is on.
    let editor = wanda
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gina),
            Some(json!({"role": "editor"})),
        )
        .await;
    assert_eq!(editor.status(), 409);
    assert_eq!(
        crate::helpers::json(editor).await["error"]["code"],
        "editor_not_allowed"
    );
}

#[tokio::test]
async fn a_partner_cannot_reach_another_teams_partner_even_by_id() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let ivan = app.session("ivan").await;
    let path = format!("/api/workspaces/{}/partners/{}", ids.fraud, ids.uma);

    let response = ivan.send(Method::DELETE, &path, None).await;

    // A partner may not change partners at all; the answer names no one.
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("uma") && !body.contains("Umbrella"),
        "{body}"
    );
    let members = app
        .session("wanda")
        .await
        .get_json(&format!("/api/workspaces/{}/members", ids.fraud))
        .await;
    assert_eq!(
        emails(&members, "partners"),
        ["ivan@initech.test", "uma@umbrella.test"]
    );
}

#[tokio::test]
async fn converting_to_internal_removes_every_partner_and_their_access() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;

    let response = wanda
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/settings", ids.fraud),
            Some(json!({"visibility": "internal"})),
        )
        .await;

    assert_eq!(response.status(), 200);
    let changed = crate::helpers::json(response).await;
    assert_eq!(changed["partners_removed"], 2);
    assert_eq!(changed["workspace"]["visibility"], "internal");
    assert_eq!(changed["workspace"]["multi_partner_mode"], false);
    let members = wanda
        .get_json(&format!("/api/workspaces/{}/members", ids.fraud))
        .await;
    assert!(members["partners"].as_array().unwrap().is_empty());
    let uma = app.session("uma").await;
    assert_eq!(
        uma.status(Method::GET, &format!("/api/workspaces/{}", ids.fraud), None)
            .await,
        404
    );
    // gary's pending request was answered, not left hanging.
    assert_eq!(
        app.session("paul")
            .await
            .get_json("/api/access-requests")
            .await["total"],
        0
    );
}

#[tokio::test]
async fn sso_coverage_counts_teams_and_partners() {
    let app = spawn_demo().await;
    let paul = app.session("paul").await;

    let coverage = paul.get_json("/api/partnerships/sso-coverage").await;

    // Globex enforces SSO (gina, gary); Initech (ivan) and Umbrella (uma) do not.
    assert_eq!(coverage["partner_teams"], 3);
    assert_eq!(coverage["partner_teams_sso_enforced"], 1);
    assert_eq!(coverage["partners"], 4);
    assert_eq!(coverage["partners_last_sign_in_sso"], 2);
    let mike = app.session("mike").await;
    assert_eq!(
        mike.status(Method::GET, "/api/partnerships/sso-coverage", None)
            .await,
        403
    );
}
