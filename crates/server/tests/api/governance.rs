//! Governance: the audit log (page, filters, keyset pages, CSV, retention) and access that
//! expires (ends on grants, reminders once, the expiry job at a time the test chooses).

use futures_util::StreamExt;
use partner_api::audit::{AuditAction, AuditPage};
use partner_server::domain::{authz::Caller, session_token};
use partner_server::service::{audit, expiry};
use reqwest::Method;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::helpers::{Session, TestApp, count, demo_ids, json, spawn_demo, text};

async fn page(session: &Session, query: &str) -> AuditPage {
    let body = session
        .get_json(&format!("/api/team/audit-log?{query}"))
        .await;
    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Every entry the query selects, following `next` a page at a time.
async fn every_page(session: &Session, query: &str) -> Vec<partner_api::audit::AuditEvent> {
    let mut entries = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let cursor = next
            .as_deref()
            .map(|c| format!("&before={}", urlencoding(c)))
            .unwrap_or_default();
        let got = page(session, &format!("{query}{cursor}")).await;
        entries.extend(got.entries);
        match got.next {
            Some(cursor) => next = Some(cursor),
            None => return entries,
        }
    }
}

fn urlencoding(text: &str) -> String {
    text.replace('%', "%25")
        .replace('+', "%2B")
        .replace(':', "%3A")
        .replace('~', "%7E")
}

async fn caller(app: &TestApp, login: &str) -> Caller {
    let db = app.db().await;
    let id = text(
        &db,
        "SELECT id FROM users WHERE email LIKE ?1 || '@%'",
        &[&login],
    )
    .await;
    let token = session_token::generate();
    db.start_session(&id, &session_token::hash(&token), "password")
        .await
        .unwrap();
    db.caller(&session_token::hash(&token))
        .await
        .unwrap()
        .unwrap()
        .into()
}

#[tokio::test]
async fn the_audit_log_reads_newest_first_in_keyset_pages_and_filters() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;
    let paul = app.session("paul").await;
    let settings = format!("/api/workspaces/{}/settings", ids.fraud);
    // Fraud Signals starts in multi-partner mode.
    for on in [false, true] {
        let response = wanda
            .send(
                Method::PATCH,
                &settings,
                Some(json!({ "multi_partner_mode": on })),
            )
            .await;
        assert_eq!(response.status(), 200);
    }

    // Newest first, as sentences.
    let newest = page(&paul, "per_page=2").await;
    assert_eq!(newest.entries.len(), 2);
    assert_eq!(
        newest.entries[0].sentence(),
        "Wanda Wells turned on multi-partner mode in Fraud Signals"
    );
    assert_eq!(
        newest.entries[1].sentence(),
        "Wanda Wells turned off multi-partner mode in Fraud Signals"
    );
    assert!(newest.next.is_some());

    // Pages of two cover the log once, in order, and end.
    let all = every_page(&paul, "per_page=2").await;
    let stored = count(
        &app.db().await,
        "SELECT COUNT(*) FROM audit_log WHERE team_id = ?1",
        &[&ids.acme],
    )
    .await;
    assert_eq!(all.len() as i64, stored);
    assert!(all.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let mut cursors: Vec<&str> = all.iter().map(|e| e.cursor.as_str()).collect();
    cursors.dedup();
    assert_eq!(cursors.len(), all.len(), "no entry twice");
    // The demo's history reads as sentences too.
    assert!(
        all.iter()
            .any(|e| e.sentence() == "Wanda Wells made Gina Gray Partner Lead of Payments API"),
        "{:?}",
        all.iter().map(|e| e.sentence()).collect::<Vec<_>>()
    );

    // Filters: action, workspace, actor, other team, days.
    let on = page(&paul, "action=workspace.multi_partner_on").await;
    assert_eq!(on.entries.len(), 1);
    assert_eq!(on.entries[0].action, AuditAction::MultiPartnerOn);
    let fraud = every_page(&paul, &format!("workspace={}", ids.fraud)).await;
    assert!(
        fraud
            .iter()
            .all(|e| e.workspace.as_ref().unwrap().id.as_str() == ids.fraud)
    );
    let wanda_id = text(
        &app.db().await,
        "SELECT id FROM users WHERE email = 'wanda@acme.test'",
        &[],
    )
    .await;
    let by_wanda = every_page(&paul, &format!("actor={wanda_id}")).await;
    assert!(!by_wanda.is_empty());
    assert!(
        by_wanda
            .iter()
            .all(|e| e.actor.as_ref().unwrap().name == "Wanda Wells")
    );
    let globex = every_page(&paul, &format!("partner_team={}", ids.globex)).await;
    assert!(!globex.is_empty());
    assert!(
        globex
            .iter()
            .all(|e| e.partner_team.as_ref().unwrap().name == "Globex")
    );
    let today = OffsetDateTime::now_utc().date();
    let today_only = every_page(&paul, &format!("from={today}&to={today}")).await;
    assert_eq!(today_only.len(), 2, "only today's two toggles");
    let long_ago = page(&paul, "to=2020-01-01").await;
    assert!(long_ago.entries.is_empty() && long_ago.next.is_none());

    // Nonsense is refused with a field to fix.
    for bad in [
        "from=yesterday",
        "from=2026-12-05&to=2026-12-01",
        "before=garbage",
        "per_page=0",
        "per_page=201",
        "action=partner.exploded",
    ] {
        let response = paul
            .send(Method::GET, &format!("/api/team/audit-log?{bad}"), None)
            .await;
        assert!(
            [400, 422].contains(&response.status().as_u16()),
            "{bad}: {}",
            response.status()
        );
        let body = json(response).await;
        assert!(body["error"]["message"].is_string(), "{bad}: {body}");
    }
}

#[tokio::test]
async fn each_team_reads_only_its_own_log_and_only_its_admins_and_partner_managers() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    // A Globex change and an Acme change.
    let gwen = app.session("gwen").await;
    assert_eq!(
        gwen.status(
            Method::PATCH,
            "/api/team",
            Some(json!({ "sso_enforced": false }))
        )
        .await,
        200
    );
    let wanda = app.session("wanda").await;
    let settings = format!("/api/workspaces/{}/settings", ids.payments);
    wanda
        .send(
            Method::PATCH,
            &settings,
            Some(json!({ "multi_partner_mode": true })),
        )
        .await;

    let globex = every_page(&gwen, "").await;
    assert!(
        globex
            .iter()
            .any(|e| e.action == AuditAction::TeamSsoChanged)
    );
    assert!(
        globex
            .iter()
            .all(|e| e.action != AuditAction::MultiPartnerOn)
    );
    let acme = every_page(&app.session("alice").await, "").await;
    assert!(acme.iter().any(|e| e.action == AuditAction::MultiPartnerOn));
    assert!(acme.iter().all(|e| e.action != AuditAction::TeamSsoChanged));

    for login in ["mike", "gina", "gary", "ivan", "uma"] {
        let session = app.session(login).await;
        for path in [
            "/api/team/audit-log",
            "/api/team/audit-log/filters",
            "/api/team/audit-log.csv",
        ] {
            assert_eq!(
                session.status(Method::GET, path, None).await,
                403,
                "{login} {path}"
            );
        }
    }
    assert_eq!(
        app.anonymous()
            .status(Method::GET, "/api/team/audit-log", None)
            .await,
        401
    );

    // The filters offer the team's own people, workspaces and the teams it shares with.
    let choices = app
        .session("paul")
        .await
        .get_json("/api/team/audit-log/filters")
        .await;
    let names = |key: &str| -> Vec<String> {
        choices[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(names("people").contains(&"Wanda Wells".to_owned()));
    assert!(!names("people").contains(&"Gina Gray".to_owned()));
    assert!(names("workspaces").contains(&"Payments API".to_owned()));
    assert!(!names("workspaces").contains(&"Hooli Search API".to_owned()));
    assert!(names("partner_teams").contains(&"Globex".to_owned()));
    assert!(!names("partner_teams").contains(&"Hooli".to_owned()));
}

#[tokio::test]
async fn the_csv_holds_what_the_page_shows_quoted_and_neutralised() {
    let app = spawn_demo().await;
    let gwen = app.session("gwen").await;
    for name in [
        "=HYPERLINK(\"http://evil.test\")",
        "Globex, \"the\" team",
        "Globex",
    ] {
        let response = gwen
            .send(Method::PATCH, "/api/team", Some(json!({ "name": name })))
            .await;
        assert_eq!(response.status(), 200, "{name}");
    }
    let response = gwen
        .send(
            Method::GET,
            "/api/team/audit-log.csv?action=team.renamed",
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("audit-log.csv")
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let entries = every_page(&gwen, "action=team.renamed").await;
    assert_eq!(rows.len(), entries.len(), "{body}");
    for (row, entry) in rows.iter().zip(&entries) {
        assert_eq!(&row[0], entry.at);
        assert_eq!(
            &row[2],
            entry.sentence().trim_start_matches(['=', '+', '-', '@'])
        );
    }
    // The newest is "Globex, "the" team" → "Globex": its cells kept their commas and quotes.
    assert_eq!(&rows[0][9], "Globex, \"the\" team");
    // The formula became text.
    assert_eq!(&rows[1][9], "'=HYPERLINK(\"http://evil.test\")");
    assert!(!body.lines().any(|line| line.starts_with('=')));

    // Batches of one make the same file as one batch.
    let gwen_caller = caller(&app, "gwen").await;
    let db = app.db().await;
    let filter = partner_api::audit::AuditFilter {
        action: Some(AuditAction::TeamRenamed),
        ..Default::default()
    };
    let export = |batch| {
        let stream = audit::csv_in_batches(&db, &gwen_caller, &filter, batch).unwrap();
        async move {
            let parts: Vec<String> = stream.map(Result::unwrap).collect().await;
            (parts.len(), parts.concat())
        }
    };
    let (parts_by_one, by_one) = export(1).await;
    let (parts, whole) = export(audit::CSV_BATCH).await;
    assert_eq!(parts_by_one, 1 + 3, "the header and three batches of one");
    assert_eq!(parts, 2);
    assert_eq!(by_one, whole);
    assert_eq!(whole, body);
}

#[tokio::test]
async fn old_entries_go_after_each_teams_retention() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let gwen = app.session("gwen").await;
    for bad in [399, 3651] {
        let response = gwen
            .send(
                Method::PATCH,
                "/api/team",
                Some(json!({ "audit_retention_days": bad })),
            )
            .await;
        assert_eq!(response.status(), 422, "{bad}");
        assert_eq!(json(response).await["error"]["code"], "invalid");
    }
    let kept = gwen
        .send(
            Method::PATCH,
            "/api/team",
            Some(json!({ "audit_retention_days": 500 })),
        )
        .await;
    assert_eq!(json(kept).await["audit_retention_days"], 500);

    let now = OffsetDateTime::now_utc();
    let db = app.db().await;
    for (team, days) in [
        (&ids.acme, 450),
        (&ids.acme, 10),
        (&ids.globex, 450),
        (&ids.globex, 600),
    ] {
        let at = partner_server::db::timestamp(now - Duration::days(days));
        crate::helpers::sql(
            &db,
            "INSERT INTO audit_log (at, team_id, action, detail) VALUES (?1, ?2, 'team.renamed', '{}')",
            &[&at, team],
        )
        .await;
    }
    let before = |team: &str, days: i64| {
        let at = partner_server::db::timestamp(now - Duration::days(days));
        (team.to_owned(), at)
    };
    let older = |team: String, at: String| {
        let db = db.clone();
        async move {
            count(
                &db,
                "SELECT COUNT(*) FROM audit_log WHERE team_id = ?1 AND at < ?2",
                &[&team, &at],
            )
            .await
        }
    };
    let (acme_400, acme_cut) = before(&ids.acme, 400);
    assert_eq!(older(acme_400.clone(), acme_cut.clone()).await, 1);
    // Batches of one: the job goes on until nothing is left to delete.
    let deleted = audit::apply_retention(&db, now, 1).await.unwrap();
    assert_eq!(
        deleted, 2,
        "Acme's 450-day entry (400 kept) and Globex's 600-day one (500 kept)"
    );
    assert_eq!(older(acme_400, acme_cut).await, 0);
    let (globex_team, globex_cut) = before(&ids.globex, 400);
    assert_eq!(
        older(globex_team, globex_cut).await,
        1,
        "Globex keeps 500 days"
    );
    let team_renamed = count(
        &db,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'team.audit_retention_changed'",
        &[],
    )
    .await;
    assert_eq!(team_renamed, 1, "the setting's change is audited");
}

#[tokio::test]
async fn access_ends_on_time_with_one_reminder_and_can_be_extended() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;
    let db = app.db().await;
    let now = OffsetDateTime::now_utc();
    // The demo's grant that ends in three days is another test's.
    crate::helpers::sql(&db, "UPDATE partner_grants SET ends_at = NULL", &[]).await;

    // Invitations carry an end; nonsense ends are refused and change nothing.
    let partners = format!("/api/workspaces/{}/partners", ids.fraud);
    for bad in [
        json!({ "on": "2020-01-01" }),
        json!({ "on": "soon" }),
        json!("forever"),
    ] {
        let response = wanda
            .send(
                Method::POST,
                &partners,
                Some(json!({ "email": "gina@globex.test", "role": "viewer", "ends": bad })),
            )
            .await;
        assert!([400, 422].contains(&response.status().as_u16()), "{bad}");
    }
    let invited = wanda
        .send(
            Method::POST,
            &partners,
            Some(json!({ "email": "gina@globex.test", "role": "viewer", "ends": { "period": "days7" } })),
        )
        .await;
    let status = invited.status();
    let gina = json(invited).await;
    assert_eq!(status, 201, "{gina}");
    let ends_at = gina["ends_at"].as_str().unwrap().to_owned();
    let day = |t: OffsetDateTime| t.date().to_string();
    assert_eq!(&ends_at[..10], day(now + Duration::days(7)));
    let members = wanda
        .get_json(&format!("/api/workspaces/{}/members", ids.fraud))
        .await;
    let listed = members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == "gina@globex.test")
        .unwrap()
        .clone();
    assert_eq!(listed["ends_at"], ends_at.as_str());

    // Two days later: not yet due a reminder. Three days later (4 days before the end): one
    // reminder to gina and one digest per manager; a second pass writes nothing more.
    let pass = |at: OffsetDateTime| expiry::pass(&app.state.db, &app.state.links, at);
    assert_eq!(
        pass(now + Duration::days(1)).await.unwrap(),
        expiry::ExpiryReport::default()
    );
    let first = pass(now + Duration::days(3)).await.unwrap();
    assert_eq!(first.reminded, 1);
    assert_eq!(first.expired, 0);
    assert_eq!(
        pass(now + Duration::days(3) + Duration::hours(1))
            .await
            .unwrap()
            .reminded,
        0
    );
    let outbox = |subject: &'static str| {
        let db = db.clone();
        async move {
            count(
                &db,
                "SELECT COUNT(*) FROM email_outbox WHERE subject LIKE ?1",
                &[&subject],
            )
            .await
        }
    };
    assert_eq!(outbox("Your access to Fraud Signals ends on %").await, 1);
    let managers = count(
        &db,
        "SELECT COUNT(*) FROM users WHERE team_id = ?1 AND (team_role = 'admin' OR is_partner_manager)",
        &[&ids.acme],
    )
    .await;
    assert_eq!(
        outbox("%access to your workspaces ends soon").await,
        managers
    );

    // Extended in one click: by the team's default (none: 30 days) from the end; the
    // reminder is due again for the new end; audited.
    let extend = format!("{partners}/{}/extend", ids.gina);
    let extended = wanda.send(Method::POST, &extend, None).await;
    assert_eq!(extended.status(), 200);
    let new_end = json(extended).await["ends_at"].as_str().unwrap().to_owned();
    assert_eq!(&new_end[..10], day(now + Duration::days(37)));
    assert_eq!(
        pass(now + Duration::days(8)).await.unwrap(),
        expiry::ExpiryReport::default()
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'partner.access_extended'",
            &[]
        )
        .await,
        1
    );
    // A partner can't extend their own access.
    let gina_session = app.session("gina").await;
    assert_eq!(gina_session.status(Method::POST, &extend, None).await, 403);

    // At the end (and not a second before), the job ends it, audited, with an email; the
    // partner's link says when it ended.
    let end =
        OffsetDateTime::parse(&new_end, &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(pass(end - Duration::seconds(1)).await.unwrap().expired, 0);
    let ended = pass(end).await.unwrap();
    assert_eq!(ended.expired, 1);
    assert_eq!(
        pass(end + Duration::minutes(1)).await.unwrap().expired,
        0,
        "once"
    );
    assert_eq!(outbox("Your access to Fraud Signals has ended").await, 1);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'partner.access_expired' AND actor_id IS NULL", &[]).await,
        1
    );
    let workspace = format!("/api/workspaces/{}", ids.fraud);
    assert_eq!(
        gina_session.status(Method::GET, &workspace, None).await,
        404
    );
    let access = gina_session.get_json(&format!("{workspace}/access")).await;
    assert_eq!(access["status"], "expired");
    assert_eq!(access["ended_at"], new_end.as_str());
    // Someone else's expiry is nothing to gary.
    let gary = app.session("gary").await;
    let garys = gary.get_json(&format!("{workspace}/access")).await;
    assert_ne!(garys["status"], "expired");
}

#[tokio::test]
async fn approvals_and_the_team_default_set_the_end() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let set = alice
        .send(
            Method::PATCH,
            "/api/team",
            Some(json!({ "default_access": "days30" })),
        )
        .await;
    let set = json(set).await;
    assert_eq!(set["default_access"], "days30", "{set}");
    let paul = app.session("paul").await;
    let approve = format!("/api/access-requests/{}/approve", ids.gary_request);
    let refused = paul
        .send(
            Method::POST,
            &approve,
            Some(json!({ "ends": { "on": "1999-01-01" } })),
        )
        .await;
    assert_eq!(refused.status(), 422);
    // Still pending: nothing was lost.
    assert_eq!(
        count(
            &app.db().await,
            "SELECT COUNT(*) FROM access_requests WHERE id = ?1 AND status = 'pending'",
            &[&ids.gary_request]
        )
        .await,
        1
    );
    // No body: the team's default.
    assert_eq!(paul.status(Method::POST, &approve, None).await, 200);
    let ends_at = text(
        &app.db().await,
        "SELECT ends_at FROM partner_grants WHERE workspace_id = ?1 AND user_id = ?2",
        &[&ids.fraud, &ids.gary],
    )
    .await;
    let expected = (OffsetDateTime::now_utc() + Duration::days(30))
        .date()
        .to_string();
    assert_eq!(&ends_at[..10], expected);
    let drawer = paul
        .get_json(&format!("/api/partnerships/{}", ids.globex))
        .await;
    let garys = drawer["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == "gary@globex.test")
        .unwrap()
        .clone();
    let fraud = garys["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workspace"]["name"] == "Fraud Signals")
        .unwrap()
        .clone();
    assert_eq!(fraud["ends_at"], ends_at.as_str());

    // A Partner Lead invites with the publisher's default and can't choose an end.
    let gina = app.session("gina").await;
    let partners = format!("/api/workspaces/{}/partners", ids.payments);
    let refused = gina
        .send(
            Method::POST,
            &partners,
            Some(json!({ "email": "gwen@globex.test", "role": "viewer", "ends": { "period": "never" } })),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(json(refused).await["error"]["code"], "not_allowed");
}

#[tokio::test]
async fn the_demo_grant_that_ends_in_three_days_is_reminded() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let hana = app.session("hana").await;
    let members = hana
        .get_json(&format!("/api/workspaces/{}/members", ids.hooli_search))
        .await;
    let ivan = members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == "ivan@initech.test")
        .unwrap()
        .clone();
    let expected = (OffsetDateTime::now_utc() + Duration::days(3))
        .date()
        .to_string();
    assert_eq!(&ivan["ends_at"].as_str().unwrap()[..10], expected);
    let report = expiry::pass(&app.state.db, &app.state.links, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(report.reminded, 1);
}
