//! Team Settings: General (name, "require SSO"), Members (roles, Partner Manager, the last
//! Team Admin, removal in one transaction) and team invitations (invite, resend, revoke,
//! join by signing in or by creating the account).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{count, demo_ids, email, heal, inject_failure, json, spawn_demo, text, texts};

async fn audit_actions(app: &crate::helpers::TestApp) -> Vec<String> {
    texts(
        &app.db().await,
        "SELECT action FROM audit_log ORDER BY id",
        &[],
    )
    .await
}

#[tokio::test]
async fn team_admins_rename_their_team_and_publishers_see_its_sso_setting() {
    let app = spawn_demo().await;
    let gwen = app.session("gwen").await;
    let gina = app.session("gina").await;
    let alice = app.session("alice").await;

    let team = gwen.get_json("/api/team").await;
    assert_eq!(team["name"], "Globex");
    assert_eq!(team["domains"], json!(["globex.test"]));
    assert_eq!(team["sso_enforced"], true);
    assert_eq!(team["member_count"], 3);
    assert_eq!(team["permissions"]["manage_team"], true);
    // Members see it, read-only.
    let seen = gina.get_json("/api/team").await;
    assert_eq!(seen["permissions"]["manage_team"], false);
    assert_eq!(
        gina.status(Method::PATCH, "/api/team", Some(json!({"name": "Mine"})))
            .await,
        403
    );

    // A bad name: the field says why, nothing changes.
    let bad = gwen
        .send(Method::PATCH, "/api/team", Some(json!({"name": "   "})))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(bad).await["error"]["fields"]["name"],
        "Give the team a name."
    );

    let changed = gwen
        .send(
            Method::PATCH,
            "/api/team",
            Some(json!({"name": "  Globex Corp ", "sso_enforced": false})),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let changed = json(changed).await;
    assert_eq!(changed["name"], "Globex Corp");
    assert_eq!(changed["sso_enforced"], false);

    // Acme's Partnerships page shows both at once.
    let teams = alice.get_json("/api/partnerships?q=globex").await;
    assert_eq!(teams["items"][0]["team"]["name"], "Globex Corp");
    assert_eq!(teams["items"][0]["sso_enforced"], false);
    let enforced = alice.get_json("/api/partnerships?sso=enforced").await;
    assert_eq!(enforced["total"], 0);

    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"team.renamed".to_owned()), "{actions:?}");
    assert!(
        actions.contains(&"team.sso_changed".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn every_member_sees_the_list_and_team_admins_grant_partner_manager() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let mike = app.session("mike").await;

    let people = mike.get_json("/api/team/members").await;
    let names: Vec<&str> = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["user"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Alice Adams", "Mike Moore", "Paul Parker", "Wanda Wells"]
    );
    let searched = mike.get_json("/api/team/members?q=PAR&per_page=1").await;
    assert_eq!(searched["total"], 1);
    assert_eq!(searched["items"][0]["user"]["email"], "paul@acme.test");
    let second = mike.get_json("/api/team/members?per_page=2&page=2").await;
    assert_eq!(second["items"][0]["user"]["name"], "Paul Parker");

    // Partnerships opens to mike once alice makes him a Partner Manager.
    assert_eq!(
        mike.status(Method::GET, "/api/partnerships", None).await,
        403
    );
    assert_eq!(
        mike.status(
            Method::PATCH,
            &format!("/api/team/members/{}", ids.mike),
            Some(json!({"is_partner_manager": true}))
        )
        .await,
        403,
        "members don't grant it"
    );
    let made = alice
        .send(
            Method::PATCH,
            &format!("/api/team/members/{}", ids.mike),
            Some(json!({"is_partner_manager": true})),
        )
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    assert_eq!(json(made).await["is_partner_manager"], true);
    assert_eq!(
        mike.status(Method::GET, "/api/partnerships", None).await,
        200
    );
    assert_eq!(mike.get_json("/api/me").await["is_partner_manager"], true);
    assert!(
        audit_actions(&app)
            .await
            .contains(&"member.partner_manager_changed".to_owned())
    );
}

#[tokio::test]
async fn the_last_team_admin_can_be_neither_demoted_nor_removed() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let alone = format!("/api/team/members/{}", ids.alice);

    let demoted = alice
        .send(Method::PATCH, &alone, Some(json!({"team_role": "member"})))
        .await;
    assert_eq!(demoted.status(), StatusCode::CONFLICT);
    let body = json(demoted).await;
    assert_eq!(body["error"]["code"], "last_admin");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Alice Adams")
    );
    assert_eq!(alice.status(Method::DELETE, &alone, None).await, 409);
    let impact = alice.get_json(&format!("{alone}/removal")).await;
    assert!(
        impact["blocked"]
            .as_str()
            .unwrap()
            .contains("only Team Admin")
    );

    // With a second Team Admin, alice may step down.
    let paul = alice.get_json("/api/team/members?q=paul").await["items"][0]["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        alice
            .status(
                Method::PATCH,
                &format!("/api/team/members/{paul}"),
                Some(json!({"team_role": "admin"}))
            )
            .await,
        200
    );
    assert_eq!(
        alice
            .status(Method::PATCH, &alone, Some(json!({"team_role": "member"})))
            .await,
        200
    );
    assert_eq!(alice.get_json("/api/me").await["team_role"], "member");
    // Now paul is the last one.
    let paul_session = app.session("paul").await;
    assert_eq!(
        paul_session
            .status(
                Method::PATCH,
                &format!("/api/team/members/{paul}"),
                Some(json!({"team_role": "member"}))
            )
            .await,
        409
    );
}

/// hana (Hooli) makes mike (Acme) a partner of Hooli Search API, and mike signs in.
async fn mike_partner_of_hooli(app: &crate::helpers::TestApp) -> crate::helpers::Session {
    let ids = demo_ids(app).await;
    let hana = app.session("hana").await;
    assert_eq!(
        hana.status(
            Method::POST,
            &format!("/api/workspaces/{}/partners", ids.hooli_search),
            Some(json!({"email": "mike@acme.test", "role": "viewer"}))
        )
        .await,
        201
    );
    app.session("mike").await
}

#[tokio::test]
async fn removing_a_member_ends_their_grants_roles_and_sessions_at_once() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let mike = mike_partner_of_hooli(&app).await;
    let alice = app.session("alice").await;
    let path = format!("/api/team/members/{}", ids.mike);

    let impact = alice.get_json(&format!("{path}/removal")).await;
    assert_eq!(impact["partner_grants_total"], 1);
    assert_eq!(
        impact["partner_grants"][0]["workspace"]["name"],
        "Hooli Search API"
    );
    assert_eq!(impact["partner_grants"][0]["publisher"]["name"], "Hooli");
    let roles: Vec<&str> = impact["workspace_roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["workspace"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "Fraud Signals",
            "Internal Tools",
            "Payments API",
            "Refunds API"
        ]
    );
    assert_eq!(impact["sessions"], 1);
    assert!(impact["blocked"].is_null());

    // A failure in the middle (the last step: leaving the team) leaves everything as it was.
    let db = app.db().await;
    inject_failure(
        &db,
        "no_leaving",
        "UPDATE OF team_id",
        "users",
        "NEW.team_id IS NULL",
    )
    .await;
    assert_eq!(alice.status(Method::DELETE, &path, None).await, 500);
    assert_eq!(
        mike.status(
            Method::GET,
            &format!("/api/workspaces/{}", ids.hooli_search),
            None
        )
        .await,
        200,
        "the grant and the session survive a failed removal"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM workspace_members WHERE user_id = ?1",
            &[&ids.mike]
        )
        .await,
        4
    );
    heal(&db, "no_leaving", "users").await;

    let removed = alice.send(Method::DELETE, &path, None).await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(
        json(removed).await,
        json!({"partner_grants_ended": 1, "workspace_roles_ended": 4, "sessions_ended": 1})
    );
    // His session ended; signing in again, he is in no team and opens nothing.
    assert_eq!(mike.status(Method::GET, "/api/me", None).await, 401);
    let again = app.session("mike").await;
    assert!(again.get_json("/api/me").await["team"].is_null());
    assert_eq!(
        again
            .status(
                Method::GET,
                &format!("/api/workspaces/{}", ids.hooli_search),
                None
            )
            .await,
        403,
        "told that the access ended with his team"
    );
    assert_eq!(
        again
            .status(
                Method::GET,
                &format!("/api/workspaces/{}", ids.payments),
                None
            )
            .await,
        404
    );
    let actions = audit_actions(&app).await;
    assert!(
        actions.contains(&"member.removed".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"partner.access_ended".to_owned()),
        "{actions:?}"
    );
    // Strangers to the team get 404 for him now.
    assert_eq!(alice.status(Method::DELETE, &path, None).await, 404);
}

/// The join link of the newest invitation email to `to`.
async fn join_link(app: &crate::helpers::TestApp, to: &str) -> String {
    let link = text(
        &app.db().await,
        "SELECT link FROM email_outbox WHERE to_email = ?1 ORDER BY created_at DESC, id DESC LIMIT 1",
        &[&to],
    )
    .await;
    let token = link.rsplit("/join/").next().unwrap().to_owned();
    assert!(link.contains("/join/"), "{link}");
    token
}

#[tokio::test]
async fn an_invitation_link_lets_that_address_create_its_account_and_join_once() {
    let app = spawn_demo().await;
    let alice = app.session("alice").await;

    // nora is invited already (demo data): a second invitation is refused.
    let pending = alice.get_json("/api/team/invitations").await;
    assert_eq!(pending["items"][0]["email"], "nora@acme.test");
    assert_eq!(pending["items"][0]["invited_by"]["name"], "Alice Adams");
    let twice = alice
        .send(
            Method::POST,
            "/api/team/invitations",
            Some(json!({"email": "NORA@acme.test"})),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    // So is someone already in the team.
    assert_eq!(
        alice
            .status(
                Method::POST,
                "/api/team/invitations",
                Some(json!({"email": "mike@acme.test"}))
            )
            .await,
        409
    );

    let invited = alice
        .send(
            Method::POST,
            "/api/team/invitations",
            Some(json!({"email": "zoe@acme.test", "team_role": "member"})),
        )
        .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let invitation: Value = json(invited).await;
    let first = join_link(&app, "zoe@acme.test").await;

    // Resending gives a new link; the old one stops working.
    assert_eq!(
        alice
            .status(
                Method::POST,
                &format!(
                    "/api/team/invitations/{}/resend",
                    invitation["id"].as_str().unwrap()
                ),
                None
            )
            .await,
        200
    );
    let token = join_link(&app, "zoe@acme.test").await;
    assert_ne!(first, token);
    let anon = app.anonymous();
    let stale = anon
        .send(Method::GET, &format!("/api/invitations/{first}"), None)
        .await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(stale).await["error"]["code"], "invitation_invalid");

    let preview = anon.get_json(&format!("/api/invitations/{token}")).await;
    assert_eq!(preview["team_name"], "Acme Payments");
    assert_eq!(preview["email"], "zoe@acme.test");
    assert_eq!(preview["account_exists"], false);

    // Signed in as someone else: told so.
    let gina = app.session("gina").await;
    let wrong = gina
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({})),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::CONFLICT);
    assert!(
        json(wrong).await["error"]["message"]
            .as_str()
            .unwrap()
            .contains("zoe@acme.test")
    );

    // No account yet: name and password create it.
    let missing = anon
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({"name": "Zoe"})),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(missing).await["error"]["fields"]["password"].is_string());
    let joined = anon
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({"name": " Zoe Zhang ", "password": "a long enough password"})),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    let me = json(joined).await;
    assert_eq!(me["user"]["name"], "Zoe Zhang");
    assert_eq!(me["team"]["name"], "Acme Payments");
    assert_eq!(me["team_role"], "member");
    // The same client is signed in now.
    assert_eq!(
        anon.get_json("/api/me").await["user"]["email"],
        "zoe@acme.test"
    );
    // The link worked once.
    assert_eq!(
        app.anonymous()
            .status(Method::GET, &format!("/api/invitations/{token}"), None)
            .await,
        404
    );
    assert!(alice.get_json("/api/team/members?q=zoe").await["total"] == 1);
    let actions = audit_actions(&app).await;
    for action in [
        "member.invited",
        "member.invitation_resent",
        "member.joined",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn existing_accounts_join_signed_in_and_people_of_another_team_are_refused() {
    let app = spawn_demo().await;
    let alice = app.session("alice").await;
    let hana = app.session("hana").await;

    // ed left Globex: he is in no team and can join Hooli.
    hana.send(
        Method::POST,
        "/api/team/invitations",
        Some(json!({"email": email("ed")})),
    )
    .await;
    let token = join_link(&app, &email("ed")).await;
    let anon = app.anonymous();
    assert_eq!(
        anon.get_json(&format!("/api/invitations/{token}")).await["account_exists"],
        true
    );
    assert_eq!(
        anon.status(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({}))
        )
        .await,
        401,
        "an existing account signs in first"
    );
    let ed = app.session("ed").await;
    let joined = ed
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({})),
        )
        .await;
    assert_eq!(joined.status(), StatusCode::OK);
    assert_eq!(json(joined).await["team"]["name"], "Hooli");

    // ivan is in Initech: one team at a time.
    alice
        .send(
            Method::POST,
            "/api/team/invitations",
            Some(json!({"email": email("ivan")})),
        )
        .await;
    let token = join_link(&app, &email("ivan")).await;
    let ivan = app.session("ivan").await;
    let refused = ivan
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({})),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        json(refused).await["error"]["message"]
            .as_str()
            .unwrap()
            .contains("You're in Initech")
    );

    // A revoked invitation's link stops working.
    let list = alice.get_json("/api/team/invitations?q=ivan").await;
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        alice
            .status(Method::DELETE, &format!("/api/team/invitations/{id}"), None)
            .await,
        204
    );
    assert_eq!(
        ivan.status(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({}))
        )
        .await,
        404
    );
    assert_eq!(
        count(
            &app.db().await,
            "SELECT COUNT(*) FROM team_invitations WHERE state = 'revoked'",
            &[]
        )
        .await,
        1
    );
}
