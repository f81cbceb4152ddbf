//! Access reviews: who starts and sees them, decisions, and their application at the due
//! date (on a clock the test chooses), with its audit entries, emails and CSV.

use partner_api::reviews::{ReviewChoices, ReviewDetail, ReviewList, ReviewState, ReviewSummary};
use partner_server::service::reviews;
use reqwest::Method;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{Session, count, demo_ids, json, spawn_demo, text};

async fn list(session: &Session) -> ReviewList {
    serde_json::from_value(session.get_json("/api/reviews").await).unwrap()
}

async fn detail(session: &Session, id: &str, query: &str) -> ReviewDetail {
    let body = session
        .get_json(&format!("/api/reviews/{id}?{query}"))
        .await;
    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn keys(detail: &ReviewDetail) -> Vec<Value> {
    detail
        .items
        .items
        .iter()
        .map(|i| json!({ "workspace_id": i.workspace.id, "user_id": i.person.id }))
        .collect()
}

#[tokio::test]
async fn the_demo_review_is_pauls_to_decide_and_applies_at_its_due_date() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let paul = app.session("paul").await;
    let reviews = list(&paul).await;
    assert!(
        !reviews.can_start,
        "paul is a Partner Manager, not a Team Admin"
    );
    assert_eq!(reviews.items.len(), 1);
    let review = &reviews.items[0];
    assert_eq!(review.scope_label, "Globex");
    assert_eq!(review.state, ReviewState::Open);
    assert_eq!((review.total, review.decided), (2, 0));
    assert!(review.can_decide);
    assert_eq!(review.reviewers[0].name, "Paul Parker");
    let due = (OffsetDateTime::now_utc() + Duration::days(7))
        .date()
        .to_string();
    assert_eq!(&review.due_at[..10], due);
    let id = review.id.as_str().to_owned();

    // Every grant with person, team, workspace, role, since, last opened.
    let page = detail(&paul, &id, "").await;
    let people: Vec<&str> = page
        .items
        .items
        .iter()
        .map(|i| i.person.name.as_str())
        .collect();
    assert_eq!(people, ["Gary Green", "Gina Gray"]);
    assert!(
        page.items
            .items
            .iter()
            .all(|i| i.partner_team.name == "Globex" && i.decision.is_none())
    );

    // Keep gary, remove gina (each decision audited once); progress follows.
    let decisions = format!("/api/reviews/{id}/decisions");
    let gary = keys(&page)[0].clone();
    let gina = keys(&page)[1].clone();
    let kept: ReviewSummary = serde_json::from_value(
        json(
            paul.send(
                Method::POST,
                &decisions,
                Some(json!({ "grants": [gary], "decision": "keep" })),
            )
            .await,
        )
        .await,
    )
    .unwrap();
    assert_eq!((kept.decided, kept.kept, kept.removed), (1, 1, 0));
    let removed: ReviewSummary = serde_json::from_value(
        json(
            paul.send(
                Method::POST,
                &decisions,
                Some(json!({ "grants": [gina.clone()], "decision": "remove" })),
            )
            .await,
        )
        .await,
    )
    .unwrap();
    assert_eq!((removed.decided, removed.kept, removed.removed), (2, 1, 1));
    // Deciding the same again changes nothing and writes nothing.
    paul.send(
        Method::POST,
        &decisions,
        Some(json!({ "grants": [gina.clone()], "decision": "remove" })),
    )
    .await;
    let db = app.db().await;
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'review.decided'",
            &[]
        )
        .await,
        2
    );
    assert_eq!(detail(&paul, &id, "undecided=true").await.items.total, 0);

    // Grants that aren't in the review, too many, or none: refused, nothing changes.
    let stranger = json!({ "workspace_id": ids.fraud, "user_id": ids.uma });
    assert_eq!(
        paul.status(
            Method::POST,
            &decisions,
            Some(json!({ "grants": [stranger], "decision": "keep" }))
        )
        .await,
        404
    );
    assert_eq!(
        paul.status(
            Method::POST,
            &decisions,
            Some(json!({ "grants": [], "decision": "keep" }))
        )
        .await,
        422
    );

    // Before the due time nothing is applied; at it, gina's grant ends (audited), the
    // review closes with a summary to paul and alice, and decisions are frozen.
    let due_at = OffsetDateTime::parse(
        &review.due_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(
        reviews::apply_due(
            &app.state.db,
            &app.state.links,
            due_at - Duration::seconds(1)
        )
        .await
        .unwrap(),
        0
    );
    assert_eq!(detail(&paul, &id, "").await.review.state, ReviewState::Open);
    assert_eq!(
        reviews::apply_due(&app.state.db, &app.state.links, due_at)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        reviews::apply_due(
            &app.state.db,
            &app.state.links,
            due_at + Duration::minutes(1)
        )
        .await
        .unwrap(),
        0
    );
    let applied = detail(&paul, &id, "").await.review;
    assert_eq!(applied.state, ReviewState::Applied);
    assert!(!applied.can_decide);
    let gina_active = count(&db, "SELECT COUNT(*) FROM partner_grants WHERE workspace_id = ?1 AND user_id = ?2 AND revoked_at IS NULL", &[&ids.payments, &ids.gina]).await;
    assert_eq!(gina_active, 0);
    let gary_active = count(&db, "SELECT COUNT(*) FROM partner_grants WHERE workspace_id = ?1 AND user_id = ?2 AND revoked_at IS NULL", &[&ids.payments, &ids.gary]).await;
    assert_eq!(gary_active, 1);
    for action in ["review.access_removed", "review.applied"] {
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE action = ?1",
                &[&action]
            )
            .await,
            1,
            "{action}"
        );
    }
    let summaries = count(
        &db,
        "SELECT COUNT(*) FROM email_outbox WHERE subject = 'Access review applied: Globex'",
        &[],
    )
    .await;
    assert_eq!(summaries, 2, "paul (reviewer) and alice (who started it)");
    assert_eq!(
        paul.status(
            Method::POST,
            &decisions,
            Some(json!({ "grants": [gina], "decision": "keep" }))
        )
        .await,
        409
    );

    // The results as CSV.
    let csv_text = paul
        .send(Method::GET, &format!("/api/reviews/{id}/results.csv"), None)
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{csv_text}");
    assert_eq!(
        (&rows[0][0], &rows[0][7], &rows[0][9]),
        ("Gary Green", "Keep", "Kept")
    );
    assert_eq!(
        (&rows[1][0], &rows[1][7], &rows[1][9]),
        ("Gina Gray", "Remove", "Removed")
    );
}

#[tokio::test]
async fn a_team_admin_starts_a_review_and_undecided_grants_follow_its_default() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let paul_id = text(
        &app.db().await,
        "SELECT id FROM users WHERE email = 'paul@acme.test'",
        &[],
    )
    .await;
    let due_on = (OffsetDateTime::now_utc() + Duration::days(14))
        .date()
        .to_string();
    let start = |body: Value| {
        let alice = &alice;
        async move { alice.send(Method::POST, "/api/reviews", Some(body)).await }
    };
    // Refusals, each naming the field; nothing is created.
    for (body, field) in [
        (
            json!({ "scope": { "kind": "all" }, "reviewers": [], "due_on": due_on, "undecided": "remove" }),
            "reviewers",
        ),
        (
            json!({ "scope": { "kind": "all" }, "reviewers": [ids.gary], "due_on": due_on, "undecided": "remove" }),
            "reviewers",
        ),
        (
            json!({ "scope": { "kind": "all" }, "reviewers": [ids.mike], "due_on": due_on, "undecided": "remove" }),
            "reviewers",
        ),
        (
            json!({ "scope": { "kind": "all" }, "reviewers": [paul_id], "due_on": "2020-01-01", "undecided": "remove" }),
            "due_on",
        ),
        (
            json!({ "scope": { "kind": "workspace", "workspace_id": ids.hooli_search }, "reviewers": [paul_id], "due_on": due_on, "undecided": "remove" }),
            "scope",
        ),
        (
            json!({ "scope": { "kind": "workspace", "workspace_id": ids.internal }, "reviewers": [paul_id], "due_on": due_on, "undecided": "remove" }),
            "scope",
        ),
    ] {
        let response = start(body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let error = json(response).await;
        assert!(
            error["error"]["fields"][field].is_string(),
            "{field}: {error}"
        );
    }
    assert_eq!(list(&alice).await.items.len(), 1, "only the demo's review");

    // The form's choices: who may review (and why), partner teams, workspaces.
    let choices: ReviewChoices =
        serde_json::from_value(alice.get_json("/api/reviews/choices").await).unwrap();
    let why = |name: &str| {
        choices
            .reviewers
            .iter()
            .find(|r| r.user.name == name)
            .map(|r| (r.team_admin, r.partner_manager, r.workspace_admin))
    };
    assert_eq!(why("Paul Parker").map(|w| w.1), Some(true));
    assert_eq!(
        why("Wanda Wells").map(|w| w.2),
        Some(true),
        "a Workspace Admin"
    );
    assert_eq!(why("Mike Moore"), None, "an Editor only");
    let teams: Vec<&str> = choices
        .partner_teams
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert!(
        teams.contains(&"Globex") && !teams.contains(&"Acme"),
        "{teams:?}"
    );
    assert!(choices.workspaces.iter().any(|w| w.name == "Payments API"));
    assert!(
        !choices
            .workspaces
            .iter()
            .any(|w| w.name == "Hooli Search API")
    );

    // A review of Fraud Signals (ivan and uma), undecided grants removed at the due date.
    let response = start(json!({
        "scope": { "kind": "workspace", "workspace_id": ids.fraud },
        "reviewers": [paul_id], "due_on": due_on, "undecided": "remove",
    }))
    .await;
    assert_eq!(response.status(), 201);
    let review: ReviewSummary = serde_json::from_value(json(response).await).unwrap();
    assert_eq!(
        (review.scope_label.as_str(), review.total),
        ("Fraud Signals", 2)
    );
    assert_eq!(list(&alice).await.items.len(), 2);
    let db = app.db().await;
    let asked = count(&db, "SELECT COUNT(*) FROM email_outbox WHERE to_email = 'paul@acme.test' AND subject LIKE 'Review partner access: Fraud Signals%'", &[]).await;
    assert_eq!(asked, 1, "one email to the reviewer");
    // paul keeps ivan; uma stays undecided.
    let paul = app.session("paul").await;
    let id = review.id.as_str().to_owned();
    let page = detail(&paul, &id, "").await;
    let ivan = page
        .items
        .items
        .iter()
        .find(|i| i.person.name == "Ivan Ito")
        .unwrap();
    let ivan_key = json!({ "workspace_id": ivan.workspace.id, "user_id": ivan.person.id });
    assert_eq!(
        paul.status(
            Method::POST,
            &format!("/api/reviews/{id}/decisions"),
            Some(json!({ "grants": [ivan_key], "decision": "keep" }))
        )
        .await,
        200
    );
    let due_at = OffsetDateTime::parse(
        &review.due_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(
        reviews::apply_due(&app.state.db, &app.state.links, due_at)
            .await
            .unwrap(),
        1,
        "uma, by the default"
    );
    let uma_active = count(&db, "SELECT COUNT(*) FROM partner_grants WHERE workspace_id = ?1 AND user_id = ?2 AND revoked_at IS NULL", &[&ids.fraud, &ids.uma]).await;
    assert_eq!(uma_active, 0);

    // Nobody outside the team's admins and the reviewers sees it; partners never.
    for login in ["mike", "wanda", "gina", "gwen", "uma", "hana"] {
        let session = app.session(login).await;
        assert_eq!(
            session
                .status(Method::GET, &format!("/api/reviews/{id}"), None)
                .await,
            404,
            "{login}"
        );
        let theirs = list(&session).await;
        assert!(theirs.items.iter().all(|r| r.id.as_str() != id), "{login}");
    }
    assert_eq!(
        app.anonymous()
            .status(Method::GET, "/api/reviews", None)
            .await,
        401
    );
    // Only Team Admins start reviews.
    let paul_tries = paul
        .send(Method::POST, "/api/reviews", Some(json!({ "scope": { "kind": "all" }, "reviewers": [paul_id], "due_on": due_on, "undecided": "keep" })))
        .await;
    assert_eq!(paul_tries.status(), 403);
}
