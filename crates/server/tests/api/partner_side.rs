//! The partner side: a Partner Lead invites and removes colleagues of their own team only;
//! a partner team's Team Admins see, export and end what their people can open elsewhere.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{count, demo_ids, json, spawn_demo, text};

fn partner<'a>(members: &'a Value, email: &str) -> Option<&'a Value> {
    members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == email)
}

#[tokio::test]
async fn a_partner_lead_invites_and_removes_people_of_their_own_team_only() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let gina = app.session("gina").await;
    let gary = app.session("gary").await;
    let partners = format!("/api/workspaces/{}/partners", ids.payments);

    let workspace = gina
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    assert_eq!(workspace["permissions"]["lead_own_team"], true);
    assert_eq!(workspace["permissions"]["manage_partners"], false);
    let workspace = gary
        .get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    assert_eq!(workspace["permissions"]["lead_own_team"], false);

    // Another company's address: refused without a word about its account.
    for address in ["ivan@initech.test", "nobody@initech.test"] {
        let refused = gina
            .send(
                Method::POST,
                &partners,
                Some(json!({"email": address, "role": "viewer"})),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let message = json(refused).await["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains("people of Globex only"), "{message}");
    }
    // Globex's domain, but not in the team yet.
    let later = gina
        .send(
            Method::POST,
            &partners,
            Some(json!({"email": "newhire@globex.test", "role": "viewer"})),
        )
        .await;
    assert_eq!(later.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        json(later).await["error"]["message"]
            .as_str()
            .unwrap()
            .contains("isn't in Globex's team yet")
    );

    // A colleague: invited, with an email that names gina as Globex's Partner Lead.
    let invited = gina
        .send(
            Method::POST,
            &partners,
            Some(json!({"email": "gwen@globex.test", "role": "viewer"})),
        )
        .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let email = text(
        &app.db().await,
        "SELECT text_body FROM email_outbox WHERE to_email = 'gwen@globex.test'",
        &[],
    )
    .await;
    assert!(
        email.contains("Gina Gray, Globex's Partner Lead for it,"),
        "{email}"
    );

    // The publisher sees who invited whom; so does the lead for her team; others don't.
    let wanda = app.session("wanda").await;
    let members_path = format!("/api/workspaces/{}/members", ids.payments);
    let seen = wanda.get_json(&members_path).await;
    assert_eq!(
        partner(&seen, "gwen@globex.test").unwrap()["invited_by"]["name"],
        "Gina Gray"
    );
    assert_eq!(partner(&seen, "gina@globex.test").unwrap()["lead"], true);
    let by_gina = gina.get_json(&members_path).await;
    assert_eq!(
        partner(&by_gina, "gwen@globex.test").unwrap()["invited_by"]["name"],
        "Gina Gray"
    );
    let ivan = app.session("ivan").await;
    let by_ivan = ivan.get_json(&members_path).await;
    assert!(partner(&by_ivan, "gwen@globex.test").unwrap()["invited_by"].is_null());

    // Removing: her colleagues, not another team's partner, not herself as lead; no roles.
    assert_eq!(
        gina.status(Method::DELETE, &format!("{partners}/{}", ids.ivan), None)
            .await,
        404
    );
    assert_eq!(
        gina.status(Method::DELETE, &format!("{partners}/{}", ids.gina), None)
            .await,
        403
    );
    assert_eq!(
        gina.status(
            Method::PATCH,
            &format!("{partners}/{}", ids.gary),
            Some(json!({"role": "editor"}))
        )
        .await,
        403
    );
    assert_eq!(
        gina.status(Method::DELETE, &format!("{partners}/{}", ids.gary), None)
            .await,
        204
    );
    assert_eq!(
        gary.status(
            Method::GET,
            &format!("/api/workspaces/{}", ids.payments),
            None
        )
        .await,
        404
    );
}

#[tokio::test]
async fn a_partner_lead_follows_the_seat_and_mode_rules_and_ends_with_the_grant() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;
    let gina = app.session("gina").await;
    let partners = format!("/api/workspaces/{}/partners", ids.payments);

    // Fill Acme's three Editor seats (gina has one): then gwen can only be a Viewer.
    for who in [ids.gary.as_str(), ids.ivan.as_str()] {
        assert_eq!(
            wanda
                .status(
                    Method::PATCH,
                    &format!("{partners}/{who}"),
                    Some(json!({"role": "editor"}))
                )
                .await,
            200
        );
    }
    let editor = gina
        .send(
            Method::POST,
            &partners,
            Some(json!({"email": "gwen@globex.test", "role": "editor"})),
        )
        .await;
    assert_eq!(editor.status(), StatusCode::CONFLICT);
    assert_eq!(json(editor).await["error"]["code"], "no_editor_seat");

    // wanda makes gary lead too, then takes gina's lead away: gina can no longer invite.
    let lead = |who: &str, on: bool| {
        let path = format!("{partners}/{who}/lead");
        let wanda = &wanda;
        async move {
            wanda
                .send(Method::PUT, &path, Some(json!({ "lead": on })))
                .await
        }
    };
    let made = lead(&ids.gary, true).await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(json(made).await["lead"], true);
    assert_eq!(lead(&ids.gina, false).await.status(), StatusCode::OK);
    assert_eq!(
        gina.status(
            Method::POST,
            &partners,
            Some(json!({"email": "gwen@globex.test", "role": "viewer"}))
        )
        .await,
        403
    );
    // A lead removed and invited again starts as a plain partner.
    assert_eq!(
        wanda
            .status(Method::DELETE, &format!("{partners}/{}", ids.gary), None)
            .await,
        204
    );
    assert_eq!(
        wanda
            .status(
                Method::POST,
                &partners,
                Some(json!({"email": "gary@globex.test", "role": "viewer"}))
            )
            .await,
        201
    );
    let members = wanda
        .get_json(&format!("/api/workspaces/{}/members", ids.payments))
        .await;
    assert_eq!(
        partner(&members, "gary@globex.test").unwrap()["lead"],
        false
    );
    assert_eq!(
        partner(&members, "gary@globex.test").unwrap()["invited_by"]["name"],
        "Wanda Wells"
    );
    let actions = crate::helpers::texts(
        &app.db().await,
        "SELECT action FROM audit_log ORDER BY id",
        &[],
    )
    .await;
    assert!(actions.contains(&"partner.lead_granted".to_owned()));
    assert!(actions.contains(&"partner.lead_revoked".to_owned()));
}

#[tokio::test]
async fn a_team_admin_sees_exports_and_ends_their_peoples_external_access() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let gwen = app.session("gwen").await;
    let gary = app.session("gary").await;

    // gary opens Payments API: "last opened" shows it.
    gary.get_json(&format!("/api/workspaces/{}", ids.payments))
        .await;
    let all = gwen.get_json("/api/team/external-access").await;
    assert_eq!(all["grants"]["total"], 2);
    let rows = all["grants"]["items"].as_array().unwrap();
    assert_eq!(rows[0]["person"]["name"], "Gary Green");
    assert_eq!(rows[0]["workspace"]["name"], "Payments API");
    assert_eq!(rows[0]["publisher"]["name"], "Acme Payments");
    assert!(rows[0]["last_opened_at"].is_string());
    assert_eq!(rows[1]["person"]["name"], "Gina Gray");
    assert_eq!(rows[1]["role"], "editor");
    assert_eq!(rows[1]["lead"], true);
    assert!(rows[1]["last_opened_at"].is_null());
    assert_eq!(
        all["publishers"],
        json!([{"publisher": {"id": ids.acme, "name": "Acme Payments"}, "grants": 2}])
    );
    assert_eq!(all["publishers_total"], 1);
    // Filters: role, search, publisher; the CSV holds exactly the filtered rows.
    let viewers = gwen.get_json("/api/team/external-access?role=viewer").await;
    assert_eq!(viewers["grants"]["total"], 1);
    assert_eq!(
        gwen.get_json("/api/team/external-access?q=GINA").await["grants"]["total"],
        1
    );
    assert_eq!(
        gwen.get_json(&format!(
            "/api/team/external-access?publisher={}",
            ids.initech
        ))
        .await["grants"]["total"],
        0
    );
    let csv = gwen
        .send(
            Method::GET,
            "/api/team/external-access.csv?role=viewer",
            None,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "publisher,workspace,person,email,role,partner_lead,since,last_opened"
    );
    assert_eq!(lines.len(), 2, "{body}");
    assert!(
        lines[1].starts_with("Acme Payments,Payments API,Gary Green,gary@globex.test,viewer,no,")
    );

    // A workspace name a spreadsheet would run is exported as text, quoted as CSV needs.
    let wanda = app.session("wanda").await;
    assert_eq!(
        wanda
            .status(
                Method::PATCH,
                &format!("/api/workspaces/{}/settings", ids.payments),
                Some(json!({"name": "=HYPERLINK(\"http://x\",\"go\")"}))
            )
            .await,
        200
    );
    let body = gwen
        .send(Method::GET, "/api/team/external-access.csv", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(r#"Acme Payments,"'=HYPERLINK(""http://x"",""go"")",Gary Green"#),
        "{body}"
    );

    // gwen ends gary's access: Acme's Partner Managers and Team Admins get one email each.
    let ended = gwen
        .send(
            Method::POST,
            "/api/team/external-access/end",
            Some(json!({"grants": [{"workspace_id": ids.payments, "user_id": ids.gary}]})),
        )
        .await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(json(ended).await, json!({"ended": 1, "publishers": 1}));
    assert_eq!(
        gary.status(
            Method::GET,
            &format!("/api/workspaces/{}", ids.payments),
            None
        )
        .await,
        404
    );
    let db = app.db().await;
    for manager in ["paul@acme.test", "alice@acme.test"] {
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM email_outbox WHERE to_email = ?1 AND subject = 'Globex ended 1 partner''s access to your workspaces'",
                &[&manager]
            )
            .await,
            1,
            "{manager}"
        );
    }
    let email = text(
        &db,
        "SELECT text_body FROM email_outbox WHERE to_email = 'paul@acme.test'",
        &[],
    )
    .await;
    assert!(email.contains("Gwen Garcia of Globex ended"), "{email}");
    assert!(email.contains("Gary Green (gary@globex.test)"), "{email}");

    // Someone else's grants can't be named: nothing of theirs ends.
    let alice = app.session("alice").await;
    assert_eq!(
        alice
            .status(
                Method::POST,
                "/api/team/external-access/end",
                Some(json!({"grants": [{"workspace_id": ids.payments, "user_id": ids.gina}]}))
            )
            .await,
        404
    );
    // Every grant with one publisher.
    let rest = gwen
        .send(
            Method::POST,
            "/api/team/external-access/end",
            Some(json!({ "publisher": ids.acme })),
        )
        .await;
    assert_eq!(json(rest).await["ended"], 1);
    assert_eq!(
        gwen.get_json("/api/team/external-access").await["grants"]["total"],
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'external_access.ended'",
            &[]
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_csv_export_reads_every_row_a_batch_at_a_time() {
    use futures_util::StreamExt;
    use partner_server::domain::{authz::Caller, session_token};
    use partner_server::service::external_access;

    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    // Globex gets a third grant (gwen in Payments API), so batches of one take three reads.
    let gina = app.session("gina").await;
    assert_eq!(
        gina.status(
            Method::POST,
            &format!("/api/workspaces/{}/partners", ids.payments),
            Some(json!({"email": "gwen@globex.test", "role": "viewer"}))
        )
        .await,
        201
    );
    let db = app.db().await;
    let gwen_id = text(
        &db,
        "SELECT id FROM users WHERE email = 'gwen@globex.test'",
        &[],
    )
    .await;
    let token = session_token::generate();
    db.start_session(&gwen_id, &session_token::hash(&token), "password")
        .await
        .unwrap();
    let gwen: Caller = db
        .caller(&session_token::hash(&token))
        .await
        .unwrap()
        .unwrap()
        .into();
    let query = Default::default();
    let export = |batch| {
        let stream = external_access::csv_in_batches(&db, &gwen, &query, batch).unwrap();
        async move {
            let parts: Vec<String> = stream.map(Result::unwrap).collect().await;
            (parts.len(), parts.concat())
        }
    };
    let (one_part_each, by_one) = export(1).await;
    let (parts, whole) = export(external_access::CSV_BATCH).await;
    assert_eq!(one_part_each, 4, "the header and three batches of one");
    assert_eq!(parts, 2, "the header and one batch");
    assert_eq!(by_one, whole);
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), 4, "{whole}");
    for person in ["gina@globex.test", "gary@globex.test", "gwen@globex.test"] {
        assert_eq!(
            lines.iter().filter(|l| l.contains(person)).count(),
            1,
            "{person}: {whole}"
        );
    }
    // Not a Team Admin: refused before anything is read.
    let gina_id = text(
        &db,
        "SELECT id FROM users WHERE email = 'gina@globex.test'",
        &[],
    )
    .await;
    let token = session_token::generate();
    db.start_session(&gina_id, &session_token::hash(&token), "password")
        .await
        .unwrap();
    let gina: Caller = db
        .caller(&session_token::hash(&token))
        .await
        .unwrap()
        .unwrap()
        .into();
    assert!(external_access::csv(&db, &gina, &query).is_err());
}
