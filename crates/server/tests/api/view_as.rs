//! "View as partner": for every demo partner, what the view answers is byte for byte what
//! the partner's own session answers, within the publisher's workspaces; nothing else is
//! readable and nothing is writable in it.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Session, TestApp, demo_ids, json, spawn_demo};
use crate::sso::provider_for;

/// The body of a GET, as bytes, with its status.
async fn raw(session: &Session, path: &str) -> (u16, Vec<u8>) {
    let response = session.send(Method::GET, path, None).await;
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Starts a view in `viewer`'s browser.
async fn view(viewer: &Session, partner: &str, workspace: Option<&str>) -> serde_json::Value {
    let mut body = json!({ "partner": partner });
    if let Some(workspace) = workspace {
        body["workspace"] = json!(workspace);
    }
    let response = viewer.send(Method::POST, "/api/view-as", Some(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

async fn user_id(app: &TestApp, login: &str) -> String {
    crate::helpers::text(
        &app.db().await,
        "SELECT id FROM users WHERE email LIKE ?1 || '@%'",
        &[&login],
    )
    .await
}

#[tokio::test]
async fn the_view_answers_exactly_what_the_partner_sees() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    // Sam signs in only through SSO: the view is compared with his SSO session.
    provider_for(&app, "soylent.test").await;
    let acme = [&ids.payments, &ids.fraud, &ids.refunds, &ids.internal];
    let hooli = [&ids.hooli_search];
    // (partner, the publisher's viewer, the publisher's workspaces)
    let cases: [(&str, &str, &[&String]); 6] = [
        ("gina", "alice", &acme),
        ("gary", "alice", &acme),
        ("ivan", "alice", &acme),
        ("uma", "alice", &acme),
        ("ivan", "hana", &hooli),
        ("sam", "hana", &hooli),
    ];
    for (partner, viewer, workspaces) in cases {
        let own = if partner == "sam" {
            let browser = app.anonymous();
            crate::sso::sign_in_for_test(&app, &browser, "sam@soylent.test").await;
            browser
        } else {
            app.session(partner).await
        };
        let looking = app.session(viewer).await;
        let started = view(&looking, &user_id(&app, partner).await, None).await;
        assert_eq!(started["start_path"], "/workspaces?tab=shared_partner");
        assert_eq!(started["viewer"]["email"], crate::helpers::email(viewer));
        let mut paths = vec!["/api/me".to_owned()];
        for ws in workspaces {
            for tail in ["", "/members", "/access"] {
                paths.push(format!("/api/workspaces/{ws}{tail}"));
            }
        }
        let mut opened = 0;
        for path in &paths {
            let theirs = raw(&own, path).await;
            opened += usize::from(theirs.0 == 200);
            let viewed = raw(&looking, path).await;
            assert_eq!(
                viewed,
                theirs,
                "{viewer} viewing as {partner}: {path}\n{}\n{}",
                String::from_utf8_lossy(&viewed.1),
                String::from_utf8_lossy(&theirs.1)
            );
        }
        // Equal because both answered, not because both refused.
        assert!(
            opened > workspaces.len(),
            "{partner}: {opened} answers of 200"
        );
        // External Workspaces: the partner's rows of this publisher, byte for byte.
        let theirs = own
            .get_json("/api/workspaces?tab=shared_partner&per_page=200")
            .await;
        let viewed = looking
            .get_json("/api/workspaces?tab=shared_partner&per_page=200")
            .await;
        let publisher_rows: Vec<&serde_json::Value> = theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| workspaces.iter().any(|id| w["id"] == id.as_str()))
            .collect();
        let viewed_rows: Vec<&serde_json::Value> =
            viewed["items"].as_array().unwrap().iter().collect();
        assert_eq!(
            viewed_rows, publisher_rows,
            "{viewer} viewing as {partner}: the list"
        );
        assert_eq!(
            looking.status(Method::DELETE, "/api/view-as", None).await,
            204
        );
        assert_eq!(
            looking.get_json("/api/me").await["user"]["email"],
            crate::helpers::email(viewer)
        );
    }
}

#[tokio::test]
async fn a_view_reads_only_the_publishers_workspaces_and_writes_nothing() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;
    let ivan = user_id(&app, "ivan").await;
    let uma = user_id(&app, "uma").await;
    view(&alice, &ivan, None).await;
    let info = alice.get_json("/api/session").await;
    assert_eq!(info["method"], "password");
    assert_eq!(info["view_as"]["partner"]["name"], "Ivan Ito");
    assert_eq!(info["view_as"]["publisher"]["name"], "Acme Payments");

    // Ivan's Hooli workspace is outside Acme's view; his own team's pages too.
    assert_eq!(
        alice
            .status(
                Method::GET,
                &format!("/api/workspaces/{}", ids.hooli_search),
                None
            )
            .await,
        404
    );
    assert_eq!(
        alice
            .status(
                Method::GET,
                &format!("/api/workspaces/{}/access", ids.hooli_search),
                None
            )
            .await,
        404
    );
    for path in [
        "/api/team",
        "/api/partnerships",
        "/api/team/external-access",
        "/api/reviews",
        "/api/seats",
    ] {
        let response = alice.send(Method::GET, path, None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(json(response).await["error"]["code"], "view_only", "{path}");
    }
    assert_eq!(alice.get_json("/api/workspaces?tab=all").await["total"], 0);
    // Every write is refused, as ivan and as alice.
    for (method, path, body) in [
        (
            Method::POST,
            format!("/api/workspaces/{}/access-requests", ids.internal),
            json!({ "role": "viewer" }),
        ),
        (
            Method::PATCH,
            format!("/api/workspaces/{}/settings", ids.payments),
            json!({ "name": "Renamed" }),
        ),
        (
            Method::PUT,
            "/api/me/password".to_owned(),
            json!({ "current_password": "partner-demo", "new_password": "a-new-password-1" }),
        ),
        (
            Method::PATCH,
            "/api/team".to_owned(),
            json!({ "name": "Renamed" }),
        ),
    ] {
        let response = alice.send(method.clone(), &path, Some(body)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(
            json(response).await["error"]["code"],
            "view_only",
            "{method} {path}"
        );
    }

    // Multi-partner isolation holds in the view: as uma, Fraud Signals lists Umbrella only.
    view(&alice, &uma, Some(&ids.fraud)).await;
    let members = alice
        .get_json(&format!("/api/workspaces/{}/members", ids.fraud))
        .await;
    let teams: Vec<&str> = members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["team"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(teams, ["Umbrella"]);
    // A one-workspace view covers that workspace only.
    assert_eq!(
        alice
            .status(
                Method::GET,
                &format!("/api/workspaces/{}", ids.payments),
                None
            )
            .await,
        404
    );

    // Audited as a sentence in Acme's log.
    alice.send(Method::DELETE, "/api/view-as", None).await;
    let log = alice
        .get_json("/api/team/audit-log?action=partner.viewed_as")
        .await;
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["workspace"]["name"], "Fraud Signals");
    assert_eq!(entries[0]["subject"]["name"], "Uma Ueda");

    // Signing out ends the view with the session.
    view(&alice, &ivan, None).await;
    assert_eq!(
        alice.status(Method::DELETE, "/api/session", None).await,
        204
    );
    let again = app.session("alice").await;
    let _ = again;
    assert_eq!(
        crate::helpers::count(
            &app.db().await,
            "SELECT COUNT(*) FROM sessions WHERE view_parent IS NOT NULL",
            &[]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn only_the_publishers_partner_managers_view_as_its_partners() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let ivan = user_id(&app, "ivan").await;
    let gina_id = user_id(&app, "gina").await;
    let mike = user_id(&app, "mike").await;
    let start = |workspace: Option<&str>, partner: &str| {
        let mut body = json!({ "partner": partner });
        if let Some(w) = workspace {
            body["workspace"] = json!(w);
        }
        body
    };
    let paul = app.session("paul").await;
    let wanda = app.session("wanda").await;
    let gina = app.session("gina").await;
    let hana = app.session("hana").await;
    // A Partner Manager: any partner of Acme's workspaces.
    assert_eq!(
        paul.status(Method::POST, "/api/view-as", Some(start(None, &ivan)))
            .await,
        200
    );
    // A Workspace Admin: the workspaces they manage, one at a time.
    assert_eq!(
        wanda
            .status(Method::POST, "/api/view-as", Some(start(None, &ivan)))
            .await,
        403
    );
    assert_eq!(
        wanda
            .status(
                Method::POST,
                "/api/view-as",
                Some(start(Some(&ids.payments), &ivan))
            )
            .await,
        200
    );
    // Partners, other publishers, people without access there, and members: refused.
    assert_eq!(
        gina.status(Method::POST, "/api/view-as", Some(start(None, &ivan)))
            .await,
        403
    );
    assert_eq!(
        gina.status(
            Method::POST,
            "/api/view-as",
            Some(start(Some(&ids.payments), &ivan))
        )
        .await,
        403
    );
    assert_eq!(
        hana.status(Method::POST, "/api/view-as", Some(start(None, &gina_id)))
            .await,
        404
    );
    assert_eq!(
        paul.status(
            Method::POST,
            "/api/view-as",
            Some(start(Some(&ids.fraud), &gina_id))
        )
        .await,
        404
    );
    assert_eq!(
        paul.status(Method::POST, "/api/view-as", Some(start(None, &mike)))
            .await,
        404
    );
    // A view cookie without the session it was made from is nothing.
    let stolen = app.anonymous();
    let view_cookie = {
        let alice = app.session("alice").await;
        let response = alice
            .send(Method::POST, "/api/view-as", Some(start(None, &ivan)))
            .await;
        response
            .cookies()
            .find(|c| c.name() == "pw_view")
            .expect("the view cookie")
            .value()
            .to_owned()
    };
    let response = stolen
        .client
        .get(app.url("/api/me"))
        .header("cookie", format!("pw_view={view_cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
