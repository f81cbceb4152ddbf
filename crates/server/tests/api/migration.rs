//! The migration of legacy partner workspaces, on the demo's Refunds API: overview, dry
//! run, the real run (answered at once, followed by polling), idempotence, the scheduler,
//! the resumption of a run, failed runs that do not hold up other teams and are retried,
//! and bounded answers over many legacy workspaces.

use partner_server::jobs::{RunReport, run_scheduled_migrations};
use reqwest::Method;
use serde_json::{Value, json};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use crate::helpers::{
    Session, TestApp, count, demo_ids, eventually, heal, inject_failure, spawn_demo, sql, text,
};

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

/// Midnight UTC of a day: the scheduler's clock in these tests.
fn day(date: Date) -> OffsetDateTime {
    date.midnight().assume_utc()
}

/// `GET /api/migration` until the team's run is in `state`; returns the overview.
async fn until_run(session: &Session, state: &str) -> Value {
    eventually(30, &format!("the run to be {state}"), || async {
        let overview = session.get_json("/api/migration").await;
        (overview["run"]["state"] == state).then_some(overview)
    })
    .await
}

/// Starts "Migrate now" as this session; asserts the 202 and returns the run.
async fn migrate_now(session: &Session) -> Value {
    let response = session
        .send(
            Method::POST,
            "/api/migration",
            Some(json!({ "dry_run": false })),
        )
        .await;
    assert_eq!(
        response.status(),
        202,
        "Migrate now answers 202 with the run"
    );
    crate::helpers::json(response).await
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
    assert_eq!(
        acme["counts"],
        json!({ "legacy": 0, "scheduled": 1, "migrated": 0 })
    );
    assert_eq!(acme["run"], Value::Null, "no run yet");
    assert_eq!(acme["workspaces"]["total"], 1);
    let workspaces = acme["workspaces"]["items"].as_array().unwrap();
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
    assert_eq!(hooli["workspaces"]["items"], json!([]));
    assert_eq!(hooli["workspaces"]["total"], 0);
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
    let dry_run = || {
        let alice = alice.clone();
        async move {
            let response = alice
                .send(
                    Method::POST,
                    "/api/migration",
                    Some(json!({ "dry_run": true })),
                )
                .await;
            assert_eq!(response.status(), 200);
            crate::helpers::json(response).await
        }
    };

    // Dry run: the plan, and nothing changes.
    let plan = dry_run().await;
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["workspaces"][0]["name"], "Refunds API");
    assert_eq!(plan["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(planned(&plan), expected());
    assert!(app.mailbox().await.is_empty(), "a dry run writes no email");
    assert_eq!(plan["workspaces_total"], 1);
    assert_eq!(plan["emails_total"], 4);
    let overview = alice.get_json("/api/migration").await;
    assert_eq!(overview["workspaces"]["items"][0]["state"], "scheduled");

    // The real run does exactly what the dry run said: it answers with the run at once
    // and goes on in the background.
    let started = migrate_now(&alice).await;
    assert_eq!(started["kind"], "on_demand");
    assert_eq!(started["workspaces_total"], 1);
    let overview = until_run(&alice, "done").await;
    let done = &overview["run"];
    assert_eq!(done["id"], started["id"]);
    assert_eq!(done["workspaces_migrated"], 1);
    assert_eq!(done["people_emailed"], 4);
    assert!(done["finished_at"].is_string());
    assert!(done["error"].is_null());
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

    let migrated = &overview["workspaces"]["items"][0];
    assert_eq!(migrated["state"], "migrated");
    assert!(migrated["migrated_at"].is_string());
    assert!(migrated["scheduled_for"].is_null());
    assert_eq!(
        overview["counts"],
        json!({ "legacy": 0, "scheduled": 0, "migrated": 1 })
    );
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
    let again = alice
        .send(
            Method::POST,
            "/api/migration",
            Some(json!({ "dry_run": false })),
        )
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        crate::helpers::json(again).await["error"]["code"],
        "conflict"
    );
    assert_eq!(dry_run().await["emails"], json!([]));
    assert_eq!(
        alice.get_json("/api/migration").await["run"]["id"],
        started["id"],
        "no second run"
    );
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

/// What a report's run did, or why it failed.
fn migrated(report: &RunReport) -> Vec<String> {
    let plan = report.outcome.as_ref().expect("the run is done");
    plan.workspaces.iter().map(|w| w.name.clone()).collect()
}

#[tokio::test]
async fn the_scheduler_migrates_each_plan_on_its_date() {
    let app = spawn_demo().await;
    let run = |date| run_scheduled_migrations(&app.state, day(date), true);

    let early = run(date!(2026 - 12 - 14)).await.unwrap();
    assert!(early.is_empty(), "Professional teams wait for mid-December");

    let due = run(date!(2026 - 12 - 15)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(migrated(&due[0]), ["Refunds API"]);
    app.delivered(4).await;
    assert_eq!(outbox(&app).await, expected_outbox());
    let run_view = app.session("paul").await.get_json("/api/migration").await["run"].clone();
    assert_eq!(
        (run_view["kind"].clone(), run_view["state"].clone()),
        (json!("scheduled"), json!("done"))
    );

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
    let team: String = text(db, "SELECT id FROM teams WHERE domain = 'acme.test'", &[]).await;
    // A run that migrated its workspace and then stopped before writing any email.
    let run = db
        .start_migration_run(&team, partner_api::migration::RunKind::OnDemand, None)
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
    let finished = run_scheduled_migrations(state, day(date!(2026 - 01 - 01)), false)
        .await
        .unwrap();

    assert_eq!(finished.len(), 1);
    assert_eq!(migrated(&finished[0]), ["Refunds API"]);
    assert_eq!(outbox().await, expected_outbox());
    // Finishing it again, or another pass, writes nothing twice.
    partner_server::service::migration::finish_run(db, &run, &state.links)
        .await
        .unwrap();
    run_scheduled_migrations(state, day(date!(2027 - 06 - 01)), true)
        .await
        .unwrap();
    assert_eq!(outbox().await, expected_outbox());
}

/// Gives Hooli (Enterprise: due in January) a legacy workspace shared with uma, so two
/// teams have a migration to run.
async fn hooli_legacy_workspace(app: &TestApp) {
    let db = app.db().await;
    sql(&db, "INSERT INTO workspaces (id, team_id, name, visibility, legacy, migration_state, created_at)
         SELECT 'hooli-legacy', id, 'Hooli Legacy Docs', 'partner', TRUE, 'legacy', '2025-01-10T09:00:00Z'
         FROM teams WHERE domain = 'hooli.test'", &[]).await;
    sql(&db, "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
         SELECT 'hooli-legacy', u.id, u.team_id, w.team_id, 'viewer', '2025-01-10T09:00:00Z'
         FROM users u, workspaces w WHERE u.email = 'uma@umbrella.test' AND w.id = 'hooli-legacy'", &[]).await;
}

/// A real database failure: migrating this workspace is refused by a trigger.
async fn break_migration_of(app: &TestApp, workspace_id: &str) {
    let db = app.db().await;
    inject_failure(
        &db,
        "fail",
        "UPDATE OF migration_state",
        "workspaces",
        &format!("NEW.id = '{workspace_id}'"),
    )
    .await;
}

async fn repair_migration(app: &TestApp) {
    heal(&app.db().await, "fail", "workspaces").await;
}

const HOOLI_MIGRATED: (&str, &str) = ("hana@hooli.test", MIGRATED);
const UMA_UPGRADED: (&str, &str) = (
    "uma@umbrella.test",
    "Your Partner Workspace with Hooli has been upgraded",
);

#[tokio::test]
async fn a_failed_run_does_not_hold_up_other_teams_and_is_retried_after_its_back_off() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    hooli_legacy_workspace(&app).await;
    break_migration_of(&app, &ids.refunds).await;
    let alice = app.session("alice").await;
    let hana = app.session("hana").await;
    let january = datetime!(2027-01-12 00:00 UTC);

    // Both plans are due: Acme's run fails, Hooli's still migrates.
    let reports = run_scheduled_migrations(&app.state, january, true)
        .await
        .unwrap();

    assert_eq!(reports.len(), 2, "{reports:?}");
    let acme = alice.get_json("/api/migration").await;
    let acme_team = acme["run"]["id"].as_str().unwrap();
    let failed = reports.iter().find(|r| r.run_id == acme_team).unwrap();
    let failure = failed.outcome.as_ref().expect_err("Acme's run fails");
    assert_eq!(
        failure.message,
        "The database refused a change while migrating \u{201c}Refunds API\u{201d}."
    );
    let hooli_report = reports.iter().find(|r| r.run_id != acme_team).unwrap();
    assert_eq!(migrated(hooli_report), ["Hooli Legacy Docs"]);
    let hooli = hana.get_json("/api/migration").await;
    assert_eq!(hooli["run"]["state"], "done");
    assert_eq!(hooli["run"]["people_emailed"], 2);

    // Acme's run shows what happened, in words for people, and when it is retried.
    let run = &acme["run"];
    assert_eq!(run["state"], "failed");
    assert_eq!(run["kind"], "scheduled");
    assert_eq!(run["failed_attempts"], 1);
    assert_eq!(run["error"], failure.message.as_str());
    assert_eq!(
        (
            run["workspaces_migrated"].clone(),
            run["workspaces_total"].clone()
        ),
        (json!(0), json!(1))
    );
    let retry_at = run["next_attempt_at"].as_str().unwrap();
    assert!(
        retry_at.starts_with("2027-01-12T00:01:0"),
        "retried a minute later: {retry_at}"
    );
    assert_eq!(Some(retry_at), failure.next_attempt_at.as_deref());
    let shown = acme.to_string();
    for internal in [
        "injected failure",
        "RAISE",
        "trigger",
        "SQL",
        "sqlite",
        "postgres",
    ] {
        assert!(!shown.contains(internal), "{internal} leaked: {shown}");
    }
    assert_eq!(acme["workspaces"]["items"][0]["state"], "scheduled");
    app.delivered(2).await;
    assert_eq!(
        outbox(&app).await,
        [HOOLI_MIGRATED, UMA_UPGRADED].map(|(to, s)| (to.to_owned(), s.to_owned())),
        "only Hooli's people are emailed"
    );

    // Not due yet: the scheduler leaves it alone, even once it would succeed.
    repair_migration(&app).await;
    let early = run_scheduled_migrations(&app.state, january + time::Duration::seconds(30), true)
        .await
        .unwrap();
    assert!(early.is_empty(), "{early:?}");
    assert_eq!(
        alice.get_json("/api/migration").await["run"]["state"],
        "failed"
    );

    // Due: it completes, and every person gets exactly one email.
    let retried = run_scheduled_migrations(&app.state, january + time::Duration::minutes(2), true)
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].run_id, acme_team);
    assert_eq!(migrated(&retried[0]), ["Refunds API"]);
    let run = &alice.get_json("/api/migration").await["run"];
    assert_eq!(run["state"], "done");
    assert_eq!(run["failed_attempts"], 1);
    assert!(run["error"].is_null() && run["next_attempt_at"].is_null());
    assert_eq!(run["people_emailed"], 4);
    app.delivered(6).await;
    let mut everyone = expected_outbox();
    everyone.extend([HOOLI_MIGRATED, UMA_UPGRADED].map(|(to, s)| (to.to_owned(), s.to_owned())));
    everyone.sort();
    assert_eq!(outbox(&app).await, everyone);
}

#[tokio::test]
async fn retry_now_resumes_a_failed_run_at_once_and_each_failure_waits_longer() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    break_migration_of(&app, &ids.refunds).await;
    let alice = app.session("alice").await;

    let first = migrate_now(&alice).await;
    let failed = until_run(&alice, "failed").await["run"].clone();
    assert_eq!(failed["id"], first["id"]);
    assert_eq!(failed["failed_attempts"], 1);

    // Retry now, still broken: the same run, one more failure, a longer wait.
    let again = migrate_now(&alice).await;
    assert_eq!(
        again["id"], first["id"],
        "the run is resumed, not a new one"
    );
    assert_eq!(again["state"], "running", "retrying now");
    let twice = eventually(30, "the second failure", || async {
        let run = alice.get_json("/api/migration").await["run"].clone();
        (run["failed_attempts"] == 2 && run["state"] == "failed").then_some(run)
    })
    .await;
    let wait = |run: &Value| {
        let at = |field: &str| {
            OffsetDateTime::parse(
                run[field].as_str().unwrap(),
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap()
        };
        at("next_attempt_at") - OffsetDateTime::now_utc()
    };
    let waited = wait(&twice);
    assert!(
        waited > time::Duration::seconds(90) && waited <= time::Duration::minutes(2),
        "the second retry waits two minutes: {waited}"
    );
    assert!(
        app.mailbox().await.is_empty(),
        "nobody is emailed by a failed run"
    );

    // Repaired: Retry now finishes it, and everyone gets one email.
    repair_migration(&app).await;
    assert_eq!(migrate_now(&alice).await["id"], first["id"]);
    let done = until_run(&alice, "done").await["run"].clone();
    assert_eq!(done["people_emailed"], 4);
    app.delivered(4).await;
    assert_eq!(outbox(&app).await, expected_outbox());
}

#[tokio::test]
async fn migrate_now_answers_at_once_and_the_overview_follows_the_run_to_its_end() {
    const GENERATED: u32 = 400;
    let app = spawn_demo().await;
    app.db().await.generate_legacy(GENERATED, 2).await.unwrap();
    let legacy = u64::from(GENERATED) + 1;
    let alice = app.session("alice").await;

    // While every migration step of the server is held back, Migrate now still answers.
    let paused = app.state.jobs.pause_migrations().await;
    let started = migrate_now(&alice).await;
    assert_eq!(started["state"], "running");
    assert_eq!(started["workspaces_total"], legacy);
    assert_eq!(started["workspaces_migrated"], 0);
    let overview = alice.get_json("/api/migration").await;
    assert_eq!(
        overview["run"]["state"], "running",
        "the run goes on after the answer"
    );
    assert_eq!(overview["run"]["id"], started["id"]);
    assert_eq!(overview["run"]["workspaces_migrated"], 0);
    // A second Migrate now while it runs answers the same run and starts nothing.
    let second = migrate_now(&alice).await;
    assert_eq!(second["id"], started["id"]);
    let runs: i64 = count(&app.db().await, "SELECT COUNT(*) FROM migration_runs", &[]).await;
    assert_eq!(runs, 1);

    // Let it go: the progress moves, never back, up to done.
    drop(paused);
    let seen = std::cell::RefCell::new(Vec::new());
    let done = eventually(120, "the run to finish", || async {
        let run = alice.get_json("/api/migration").await["run"].clone();
        seen.borrow_mut()
            .push(run["workspaces_migrated"].as_u64().unwrap());
        (run["state"] == "done").then_some(run)
    })
    .await;
    let seen = seen.into_inner();
    assert!(seen.is_sorted(), "progress never goes back: {seen:?}");
    eprintln!("progress seen while polling: {seen:?}");
    assert_eq!(done["workspaces_migrated"], legacy);
    assert_eq!(done["workspaces_total"], legacy);
    // alice, paul, wanda, mike; every generated partner; ivan once.
    assert_eq!(done["people_emailed"], 4 + u64::from(GENERATED) * 2 + 1);
}

#[tokio::test]
async fn the_overview_and_the_dry_run_are_bounded_over_many_legacy_workspaces() {
    const GENERATED: u32 = 120;
    let app = spawn_demo().await;
    app.db().await.generate_legacy(GENERATED, 1).await.unwrap();
    let alice = app.session("alice").await;

    let first = alice.get_json("/api/migration?per_page=50").await;
    let third = alice.get_json("/api/migration?page=3&per_page=50").await;

    assert_eq!(first["workspaces"]["total"], GENERATED + 1);
    assert_eq!(first["workspaces"]["items"].as_array().unwrap().len(), 50);
    assert_eq!(third["workspaces"]["items"].as_array().unwrap().len(), 21);
    assert_eq!(
        (
            third["workspaces"]["page"].clone(),
            third["workspaces"]["per_page"].clone()
        ),
        (json!(3), json!(50))
    );
    assert_eq!(
        first["counts"],
        json!({ "legacy": 0, "scheduled": GENERATED + 1, "migrated": 0 }),
        "the counts cover every workspace, not the page"
    );
    assert_eq!(
        first["workspaces"]["items"][0]["name"],
        "Legacy Workspace 00001"
    );
    assert_eq!(first["workspaces"]["items"][0]["partner_count"], 1);
    assert_eq!(third["workspaces"]["items"][20]["name"], "Refunds API");
    assert_eq!(
        alice
            .status(Method::GET, "/api/migration?per_page=201", None)
            .await,
        422
    );
    assert_eq!(
        alice
            .status(Method::GET, "/api/migration?page=0", None)
            .await,
        422
    );

    let plan = crate::helpers::json(
        alice
            .send(
                Method::POST,
                "/api/migration",
                Some(json!({ "dry_run": true })),
            )
            .await,
    )
    .await;
    assert_eq!(plan["workspaces_total"], GENERATED + 1);
    assert_eq!(plan["workspaces"].as_array().unwrap().len(), 50);
    // alice, paul, wanda, mike, ivan and one partner per generated workspace.
    assert_eq!(plan["emails_total"], 5 + GENERATED);
    assert_eq!(plan["emails"].as_array().unwrap().len(), 50);
    let alice_email = plan["emails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["to"]["email"] == "alice@acme.test")
        .unwrap();
    assert_eq!(alice_email["workspaces_total"], GENERATED + 1);
    assert_eq!(alice_email["workspaces"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn the_openapi_document_describes_migrate_now_answering_at_once() {
    let app = crate::helpers::spawn_app().await;

    let doc = crate::helpers::json(app.get("/api/openapi.json").await).await;

    let migration = &doc["paths"]["/migration"];
    let answer = |status: &str| {
        migration["post"]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            .clone()
    };
    assert_eq!(answer("202"), "#/components/schemas/MigrationRun");
    assert_eq!(answer("200"), "#/components/schemas/MigrationPlan");
    assert_eq!(answer("409"), "#/components/schemas/ErrorBody");
    let params: Vec<&str> = migration["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["page", "per_page"]);
    let run = &doc["components"]["schemas"]["MigrationRun"]["properties"];
    for field in [
        "state",
        "workspaces_total",
        "workspaces_migrated",
        "error",
        "next_attempt_at",
    ] {
        assert!(run[field].is_object(), "MigrationRun.{field}");
    }
}
