//! The migration of legacy partner workspaces, on the demo's Refunds API: overview, dry
//! run, the real run, idempotence, the scheduler and the resumption of a run.

use reqwest::Method;
use serde_json::{Value, json};
use time::macros::date;

use crate::helpers::{TestApp, demo_ids, spawn_demo};

const MIGRATED: &str = "Your Partner Workspaces have been migrated";
const UPGRADED: &str = "Your Partner Workspace with Acme Payments has been upgraded";

/// The Refunds API plan: who gets what, in the order the API lists them.
fn refunds_plan() -> Vec<(&'static str, Vec<&'static str>, &'static str)> {
    vec![
        ("alice@acme.test", vec!["team_admin"], MIGRATED),
        ("paul@acme.test", vec!["partner_manager"], MIGRATED),
        ("wanda@acme.test", vec!["workspace_admin"], MIGRATED),
        ("ivan@initech.test", vec!["partner"], UPGRADED),
    ]
}

fn planned(plan: &Value) -> Vec<(String, Vec<String>, String)> {
    plan["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let roles = e["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            for ws in e["workspaces"].as_array().unwrap() {
                assert_eq!(ws["name"], "Refunds API");
            }
            (
                e["to"]["email"].as_str().unwrap().to_owned(),
                roles,
                e["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn expected() -> Vec<(String, Vec<String>, String)> {
    refunds_plan()
        .into_iter()
        .map(|(to, roles, subject)| {
            (
                to.to_owned(),
                roles.into_iter().map(str::to_owned).collect(),
                subject.to_owned(),
            )
        })
        .collect()
}

/// (to, subject) of every email in the outbox, sorted.
async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    let mut emails: Vec<(String, String)> = app
        .mailbox()
        .await
        .iter()
        .map(|e| {
            (
                e["to"].as_str().unwrap().to_owned(),
                e["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    emails.sort();
    emails
}

fn expected_outbox() -> Vec<(String, String)> {
    let mut emails: Vec<(String, String)> = refunds_plan()
        .into_iter()
        .map(|(to, _, subject)| (to.to_owned(), subject.to_owned()))
        .collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn the_overview_shows_each_legacy_workspace_and_its_date_by_plan() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;

    let acme = app.session("alice").await.get_json("/api/migration").await;
    let by_paul = app.session("paul").await.get_json("/api/migration").await;
    let hooli = app.session("hana").await.get_json("/api/migration").await;

    assert_eq!(acme["plan"], "professional");
    assert_eq!(acme["scheduled_for"], "2026-12-15");
    assert_eq!(acme["can_run"], true);
    let workspaces = acme["workspaces"].as_array().unwrap();
    assert_eq!(workspaces.len(), 1);
    assert_eq!(workspaces[0]["name"], "Refunds API");
    assert_eq!(workspaces[0]["id"], ids.refunds.as_str());
    assert_eq!(workspaces[0]["state"], "scheduled");
    assert_eq!(workspaces[0]["scheduled_for"], "2026-12-15");
    assert_eq!(workspaces[0]["partner_count"], 1);
    assert_eq!(
        by_paul["can_run"], false,
        "Partner Managers see, Team Admins run"
    );
    assert_eq!(hooli["scheduled_for"], "2027-01-12");
    assert_eq!(hooli["workspaces"], json!([]));
    let refunds = app
        .session("ivan")
        .await
        .get_json(&format!("/api/workspaces/{}", ids.refunds))
        .await;
    assert_eq!(
        (
            refunds["legacy"].clone(),
            refunds["migration_state"].clone()
        ),
        (json!(true), json!("scheduled"))
    );
}

#[tokio::test]
async fn refunds_api_dry_run_then_migration_sends_exactly_the_plan_once() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let run = |dry_run: bool| {
        let alice = alice.clone();
        async move {
            let response = alice
                .send(
                    Method::POST,
                    "/api/migration",
                    Some(json!({ "dry_run": dry_run })),
                )
                .await;
            assert_eq!(response.status(), 200);
            crate::helpers::json(response).await
        }
    };

    // Dry run: the plan, and nothing changes.
    let plan = run(true).await;
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["workspaces"][0]["name"], "Refunds API");
    assert_eq!(plan["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(planned(&plan), expected());
    assert!(app.mailbox().await.is_empty(), "a dry run writes no email");
    let overview = alice.get_json("/api/migration").await;
    assert_eq!(overview["workspaces"][0]["state"], "scheduled");

    // The real run does exactly what the dry run said.
    let done = run(false).await;
    assert_eq!(done["dry_run"], false);
    assert_eq!(planned(&done), expected());
    app.delivered(4).await;
    assert_eq!(outbox(&app).await, expected_outbox());
    let ivan_email = app
        .mailbox()
        .await
        .into_iter()
        .find(|e| e["to"] == "ivan@initech.test")
        .unwrap();
    let link = format!("http://127.0.0.1:8080/workspace/{}", ids.refunds);
    assert_eq!(ivan_email["link"], link.as_str());
    assert!(
        ivan_email["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Refunds API\nGo to workspace: {link}"))
    );
    assert!(
        ivan_email["html"]
            .as_str()
            .unwrap()
            .contains(&format!("href=\"{link}\""))
    );

    let overview = alice.get_json("/api/migration").await;
    assert_eq!(overview["workspaces"][0]["state"], "migrated");
    assert!(overview["workspaces"][0]["migrated_at"].is_string());
    assert!(overview["workspaces"][0]["scheduled_for"].is_null());
    let refunds = app
        .session("ivan")
        .await
        .get_json(&format!("/api/workspaces/{}", ids.refunds))
        .await;
    assert_eq!(refunds["migration_state"], "migrated");
    assert_eq!(refunds["legacy"], true, "legacy records where it came from");
    assert_eq!(
        refunds["your_role"], "partner_viewer",
        "access is unchanged"
    );

    // Again: nothing left to migrate, nobody to tell.
    let again = run(false).await;
    assert_eq!(again["workspaces"], json!([]));
    assert_eq!(again["emails"], json!([]));
    assert_eq!(run(true).await["emails"], json!([]));
    assert_eq!(outbox(&app).await, expected_outbox());

    // Partner Managers can look but not run it.
    let paul = app.session("paul").await;
    assert_eq!(
        paul.status(
            Method::POST,
            "/api/migration",
            Some(json!({ "dry_run": true }))
        )
        .await,
        403
    );
}

#[tokio::test]
async fn the_scheduler_migrates_each_plan_on_its_date() {
    let app = spawn_demo().await;
    let run = |day| partner_server::jobs::run_scheduled_migrations(&app.state, day, true);

    let early = run(date!(2026 - 12 - 14)).await.unwrap();
    assert!(early.is_empty(), "Professional teams wait for mid-December");

    let due = run(date!(2026 - 12 - 15)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].workspaces[0].name, "Refunds API");
    app.delivered(4).await;
    assert_eq!(outbox(&app).await, expected_outbox());

    let later = run(date!(2027 - 01 - 12)).await.unwrap();
    assert!(
        later.is_empty(),
        "nothing is left, so nothing is sent again"
    );
    assert_eq!(outbox(&app).await, expected_outbox());
}

#[tokio::test]
async fn an_interrupted_run_is_finished_once_at_the_next_start() {
    // The server is built but not run: no background worker races this test.
    let dir = tempfile::tempdir().unwrap();
    let mut config = partner_server::Config::for_tests(dir.path().join("resume.db"));
    config.demo = true;
    let app = partner_server::Application::build(config).await.unwrap();
    let state = app.state();
    let db = &state.db;
    let outbox = || async {
        let page = partner_api::PageRequest::new(Some(1), Some(200)).unwrap();
        let mut emails: Vec<(String, String)> = db
            .mailbox(None, page)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|e| (e.to, e.subject))
            .collect();
        emails.sort();
        emails
    };
    let team: String = sqlx::query_scalar("SELECT id FROM teams WHERE domain = 'acme.test'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    // A run that migrated its workspace and then stopped before writing any email.
    let run = db
        .start_migration_run(
            &team,
            partner_server::db::migration::RunKind::OnDemand,
            None,
        )
        .await
        .unwrap()
        .expect("Refunds API is left");
    assert!(db.migrate_next_workspace(&run).await.unwrap());
    assert!(
        !db.migrate_next_workspace(&run).await.unwrap(),
        "nothing left"
    );
    assert!(
        outbox().await.is_empty(),
        "no email before the run is finished"
    );

    // Start-up finishes it (the scheduler's first pass), without starting anything new.
    let finished =
        partner_server::jobs::run_scheduled_migrations(state, date!(2026 - 01 - 01), false)
            .await
            .unwrap();

    assert_eq!(finished.len(), 1);
    assert_eq!(outbox().await, expected_outbox());
    // Finishing it again, or another pass, writes nothing twice.
    db.finish_migration_run(&run, &state.links).await.unwrap();
    partner_server::jobs::run_scheduled_migrations(state, date!(2027 - 06 - 01), true)
        .await
        .unwrap();
    assert_eq!(outbox().await, expected_outbox());
}
