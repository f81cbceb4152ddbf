//! Partner Editor seats: checked and taken in one transaction.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{demo_ids, json, spawn_demo};

#[tokio::test]
async fn two_requests_racing_for_the_last_seat_one_wins() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    // Acme has 3 seats and gina holds one: gary takes the second, leaving one.
    let gary = alice
        .send(
            Method::PATCH,
            &format!("/api/workspaces/{}/partners/{}", ids.payments, ids.gary),
            Some(json!({"role": "editor"})),
        )
        .await;
    assert_eq!(gary.status(), 200);
    assert_eq!(alice.get_json("/api/seats").await["editor_seats_used"], 2);

    // Two different admins, each on their own connection, at the same moment.
    let wanda = app.session("wanda").await;
    let paul = app.session("paul").await;
    let ivan_path = format!("/api/workspaces/{}/partners/{}", ids.payments, ids.ivan);
    let uma_path = format!("/api/workspaces/{}/partners", ids.payments);
    let ivan_editor = wanda.send(Method::PATCH, &ivan_path, Some(json!({"role": "editor"})));
    let uma_editor = paul.send(
        Method::POST,
        &uma_path,
        Some(json!({"email": "uma@umbrella.test", "role": "editor"})),
    );
    let (ivan_editor, uma_editor) = tokio::join!(ivan_editor, uma_editor);

    let mut statuses = [ivan_editor.status().as_u16(), uma_editor.status().as_u16()];
    statuses.sort();
    assert!(
        statuses == [200, 409] || statuses == [201, 409],
        "{statuses:?}"
    );
    let loser = if ivan_editor.status() == 409 {
        ivan_editor
    } else {
        uma_editor
    };
    assert_eq!(json(loser).await["error"]["code"], "no_editor_seat");
    assert_eq!(alice.get_json("/api/seats").await["editor_seats_used"], 3);
}

#[tokio::test]
async fn many_concurrent_editor_invites_never_exceed_the_plan() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    // Make Refunds API (multi-partner off) the battleground: ivan is there as a Viewer;
    // invite many partners as Editors at once. Two seats are free.
    let invites = ["gina", "gary", "uma"].map(|login| {
        let alice = alice.clone();
        let path = format!("/api/workspaces/{}/partners", ids.refunds);
        async move {
            alice
                .send(
                    Method::POST,
                    &path,
                    Some(json!({"email": crate::helpers::email(login), "role": "editor"})),
                )
                .await
                .status()
                .as_u16()
        }
    });
    let promote = {
        let alice = alice.clone();
        let path = format!("/api/workspaces/{}/partners/{}", ids.refunds, ids.ivan);
        async move {
            alice
                .send(Method::PATCH, &path, Some(json!({"role": "editor"})))
                .await
                .status()
                .as_u16()
        }
    };
    let [a, b, c] = invites;
    let (a, b, c, d) = tokio::join!(a, b, c, promote);
    let won = [a, b, c, d]
        .iter()
        .filter(|s| **s == 200 || **s == 201)
        .count();
    let refused = [a, b, c, d].iter().filter(|s| **s == 409).count();
    assert_eq!((won, refused), (2, 2), "{:?}", [a, b, c, d]);
    let seats = alice.get_json("/api/seats").await;
    assert_eq!(seats["editor_seats_used"], seats["editor_seats_included"]);
}
