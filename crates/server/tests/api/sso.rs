//! SSO sign-in through a real OpenID Connect provider on loopback (the small provider of
//! `partner_server::oidc::provider`, started by the test, with faults to inject), the
//! team's provider settings, and a publisher's SSO requirement as a matrix.

use std::sync::Arc;

use partner_server::oidc::provider::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DevProvider, Faults};
use partner_server::secrets::SecretKey;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, demo_ids, json, spawn_demo, text};

/// The redirect URI the test server gives providers (its `--public-url`).
const CALLBACK: &str = "http://127.0.0.1:8080/api/sso/callback";

/// Starts a provider on loopback and makes it the identity provider of the team with
/// `domain` (written as `PUT /api/team/sso` would, sealed with the server's key).
pub async fn provider_for(app: &TestApp, domain: &str) -> Arc<DevProvider> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/oidc", listener.local_addr().unwrap());
    let provider = DevProvider::new(
        &issuer,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        CALLBACK,
        SecretKey::random(),
        rand_seed(),
    );
    let router = axum::Router::new().nest(
        "/oidc",
        partner_server::oidc::provider::router(provider.clone()),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let db = app.db().await;
    let team = db.team_by_domain(domain).await.unwrap().expect("the team");
    let key = app
        .state
        .secret_key
        .clone()
        .expect("tests have a sealing key");
    let sealed = key.seal(DEMO_CLIENT_SECRET.as_bytes(), &team);
    let mut tx = db.begin().await.unwrap();
    tx.set_sso_provider(
        &team,
        &issuer,
        DEMO_CLIENT_ID,
        Some(&sealed),
        None,
        "2026-01-01T00:00:00Z",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    provider
}

/// A fresh seed for a provider's signing key.
fn rand_seed() -> [u8; 32] {
    *uuid::Uuid::new_v4()
        .as_bytes()
        .repeat(2)
        .first_chunk()
        .unwrap()
}

/// Where a redirect goes.
fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("a redirect, got {}", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// What an SSO sign-in ended with: the callback's redirect.
struct Ended {
    location: String,
    /// The callback URL the provider sent the browser to (to replay it).
    callback: String,
}

/// Starts an SSO sign-in in `session`'s browser and goes through the provider's page and
/// form (as `signed_in_as`, or cancelled): the callback URL the provider sends the browser
/// to, on the app's own address.
async fn at_provider(
    app: &TestApp,
    session: &Session,
    email: &str,
    signed_in_as: Option<&str>,
    return_to: &str,
) -> String {
    let start = session
        .client
        .get(app.url("/api/sso/start"))
        .query(&[("email", email), ("return_to", return_to)])
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER, "start redirects");
    let authorize = location(&start);
    let page = session.client.get(&authorize).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the provider's page");
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(&format!("value=\"{email}\""))
    );
    let decision = if signed_in_as.is_some() {
        "allow"
    } else {
        "deny"
    };
    let form = [
        ("state", query_param(&authorize, "state").unwrap()),
        ("nonce", query_param(&authorize, "nonce").unwrap()),
        (
            "code_challenge",
            query_param(&authorize, "code_challenge").unwrap(),
        ),
        ("email", signed_in_as.unwrap_or(email).to_owned()),
        ("decision", decision.to_owned()),
    ];
    let decided = session
        .client
        .post(authorize.split('?').next().unwrap())
        .form(&form)
        .send()
        .await
        .unwrap();
    let back = location(&decided);
    assert!(back.starts_with(CALLBACK), "{back}");
    back.replacen("http://127.0.0.1:8080", &app.address, 1)
}

/// Runs an SSO sign-in in `session`'s browser: [`at_provider`], then the callback.
async fn sso_sign_in(
    app: &TestApp,
    session: &Session,
    email: &str,
    signed_in_as: Option<&str>,
    return_to: &str,
) -> Ended {
    let callback = at_provider(app, session, email, signed_in_as, return_to).await;
    let ended = session.client.get(&callback).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    Ended {
        location: location(&ended),
        callback,
    }
}

/// Signs `email` in through SSO in `session`'s browser (its team's provider set up).
pub async fn sign_in_for_test(app: &TestApp, session: &Session, email: &str) {
    let ended = sso_sign_in(app, session, email, Some(email), "/").await;
    assert_eq!(ended.location, "/", "{email} signs in with SSO");
}

async fn method_of(session: &Session) -> String {
    session.get_json("/api/session").await["method"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_soylent_person_signs_in_through_their_provider_and_only_there() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    provider_for(&app, "soylent.test").await;

    // The password form is closed to Soylent (it requires SSO and has a provider).
    let sam = app.anonymous();
    let refused = sam
        .send(
            Method::POST,
            "/api/session",
            Some(json!({ "email": "sam@soylent.test", "password": "partner-demo" })),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = json(refused).await;
    assert_eq!(body["error"]["code"], "sso_only");
    assert_eq!(
        body["error"]["message"],
        "Soylent requires SSO: continue with SSO to sign in."
    );
    // Discovery answers by domain.
    let found = sam
        .get_json("/api/sso/discover?email=anyone@Soylent.test")
        .await;
    assert_eq!(
        found,
        json!({ "sso": true, "required": true, "team_name": "Soylent" })
    );
    let none = sam
        .get_json("/api/sso/discover?email=ivan@initech.test")
        .await;
    assert_eq!(none, json!({ "sso": false, "required": false }));

    let back_to = format!("/workspace/{}", ids.hooli_search);
    let ended = sso_sign_in(
        &app,
        &sam,
        "sam@soylent.test",
        Some("sam@soylent.test"),
        &back_to,
    )
    .await;
    assert_eq!(ended.location, back_to);
    assert_eq!(method_of(&sam).await, "sso");
    assert_eq!(
        sam.get_json("/api/me").await["user"]["email"],
        "sam@soylent.test"
    );
    let workspace = sam
        .get_json(&format!("/api/workspaces/{}", ids.hooli_search))
        .await;
    assert_eq!(
        workspace["summary"],
        "Search Hooli's catalogue from partner apps."
    );
    assert!(workspace.get("sso_required").is_none());
    // The sign-in is on record: Hooli's Partnerships shows sam's last sign-in as SSO.
    let db = app.db().await;
    let recorded = text(
        &db,
        "SELECT CASE WHEN last_sign_in_sso THEN 'sso' ELSE 'password' END FROM users WHERE email = ?1",
        &[&"sam@soylent.test"],
    )
    .await;
    assert_eq!(recorded, "sso");

    // A password sign-in is recorded as one (ivan: Initech has no provider).
    let ivan = app.session("ivan").await;
    assert_eq!(method_of(&ivan).await, "password");
}

#[tokio::test]
async fn every_broken_answer_is_refused_with_its_reason() {
    let app = spawn_demo().await;
    let provider = provider_for(&app, "soylent.test").await;
    let refused = |code: &str| format!("/signin?sso_error={code}&email=sam%40soylent.test");

    for (faults, code) in [
        (
            Faults {
                wrong_issuer: true,
                ..Faults::default()
            },
            "token_invalid",
        ),
        (
            Faults {
                foreign_signature: true,
                ..Faults::default()
            },
            "token_invalid",
        ),
        (
            Faults {
                expired: true,
                ..Faults::default()
            },
            "token_invalid",
        ),
        (
            Faults {
                wrong_nonce: true,
                ..Faults::default()
            },
            "nonce_mismatch",
        ),
        (
            Faults {
                unverified_email: true,
                ..Faults::default()
            },
            "email_unverified",
        ),
    ] {
        provider.set_faults(faults);
        let browser = app.anonymous();
        let ended = sso_sign_in(
            &app,
            &browser,
            "sam@soylent.test",
            Some("sam@soylent.test"),
            "/",
        )
        .await;
        assert_eq!(ended.location, refused(code), "{faults:?}");
        assert_eq!(
            browser.status(Method::GET, "/api/me", None).await,
            401,
            "{faults:?}"
        );
    }
    provider.set_faults(Faults::default());

    // Cancelled at the provider: back to the sign-in page, still on the way to the page
    // the sign-in started from.
    let browser = app.anonymous();
    let ended = sso_sign_in(
        &app,
        &browser,
        "sam@soylent.test",
        None,
        "/workspaces?tab=shared_partner",
    )
    .await;
    assert_eq!(
        ended.location,
        format!(
            "{}&next=%2Fworkspaces%3Ftab%3Dshared_partner",
            refused("denied")
        )
    );
    let ended = sso_sign_in(&app, &browser, "sam@soylent.test", None, "/").await;
    assert_eq!(ended.location, refused("denied"));
    // Someone of the domain without an account; an address of another company.
    let ended = sso_sign_in(
        &app,
        &browser,
        "sam@soylent.test",
        Some("nobody@soylent.test"),
        "/",
    )
    .await;
    assert_eq!(ended.location, refused("no_account"));
    let ended = sso_sign_in(
        &app,
        &browser,
        "sam@soylent.test",
        Some("ivan@initech.test"),
        "/",
    )
    .await;
    assert_eq!(ended.location, refused("email_unverified"));
    assert_eq!(browser.status(Method::GET, "/api/me", None).await, 401);

    // A state works once: the same callback again is refused, and signs nobody in.
    let browser = app.anonymous();
    let ended = sso_sign_in(
        &app,
        &browser,
        "sam@soylent.test",
        Some("sam@soylent.test"),
        "/",
    )
    .await;
    assert_eq!(ended.location, "/");
    let replay = app.anonymous();
    let again = replay.client.get(&ended.callback).send().await.unwrap();
    assert_eq!(location(&again), "/signin?sso_error=state_invalid");
    assert_eq!(replay.status(Method::GET, "/api/me", None).await, 401);
    let same_browser = browser.client.get(&ended.callback).send().await.unwrap();
    assert_eq!(location(&same_browser), "/signin?sso_error=state_invalid");

    // A sign-in finishes only in the browser that started it (login CSRF).
    let starter = app.anonymous();
    let callback = at_provider(
        &app,
        &starter,
        "sam@soylent.test",
        Some("sam@soylent.test"),
        "/",
    )
    .await;
    let victim = app.anonymous();
    let planted = victim.client.get(&callback).send().await.unwrap();
    assert_eq!(
        location(&planted),
        "/signin?sso_error=state_invalid&email=sam%40soylent.test"
    );
    assert_eq!(victim.status(Method::GET, "/api/me", None).await, 401);

    // Never an open redirect: a return address off the site goes home.
    let browser = app.anonymous();
    for away in ["https://evil.test/", "//evil.test/x", "/\\evil.test"] {
        let ended = sso_sign_in(
            &app,
            &browser,
            "sam@soylent.test",
            Some("sam@soylent.test"),
            away,
        )
        .await;
        assert_eq!(ended.location, "/", "{away}");
    }
    // A domain without a provider is sent back to the password form.
    let start = app
        .anonymous()
        .client
        .get(app.url("/api/sso/start?email=ivan@initech.test"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&start),
        "/signin?sso_error=not_configured&email=ivan%40initech.test"
    );
}

#[tokio::test]
async fn a_team_admin_sets_up_the_provider_and_the_secret_stays_sealed() {
    let app = spawn_demo().await;
    let gwen = app.session("gwen").await;
    let gina = app.session("gina").await;
    assert_eq!(gina.status(Method::GET, "/api/team/sso", None).await, 403);
    let empty = gwen.get_json("/api/team/sso").await;
    assert_eq!(empty["provider"], Value::Null);
    assert_eq!(empty["domains"], json!(["globex.test"]));
    assert_eq!(empty["redirect_uri"], CALLBACK);
    assert_eq!(empty["can_store_secrets"], true);

    // A provider the server can't read is refused on its field.
    let unreachable = gwen
        .send(
            Method::PUT,
            "/api/team/sso",
            Some(json!({ "issuer": "http://127.0.0.1:9/nothing", "client_id": "x", "client_secret": "y" })),
        )
        .await;
    assert_eq!(unreachable.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(unreachable).await;
    assert_eq!(
        body["error"]["fields"]["issuer"],
        "We couldn't read http://127.0.0.1:9/nothing/.well-known/openid-configuration: it \
         couldn't be reached. Check the issuer URL."
    );
    let bad = gwen
        .send(
            Method::PUT,
            "/api/team/sso",
            Some(json!({ "issuer": "ftp://login.example.com", "client_id": "x", "client_secret": "y" })),
        )
        .await;
    assert_eq!(
        json(bad).await["error"]["fields"]["issuer"],
        "The issuer URL must start with https://."
    );

    // A real one (the loopback provider), first without a secret, then with one.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/oidc", listener.local_addr().unwrap());
    let provider = DevProvider::new(
        &issuer,
        "globex-app",
        "s3cret-value",
        CALLBACK,
        SecretKey::random(),
        rand_seed(),
    );
    let router =
        axum::Router::new().nest("/oidc", partner_server::oidc::provider::router(provider));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let no_secret = gwen
        .send(
            Method::PUT,
            "/api/team/sso",
            Some(json!({ "issuer": issuer, "client_id": "globex-app" })),
        )
        .await;
    assert_eq!(
        json(no_secret).await["error"]["fields"]["client_secret"],
        "Enter the client secret: none is stored yet."
    );
    let saved = gwen
        .send(
            Method::PUT,
            "/api/team/sso",
            Some(json!({ "issuer": format!("{issuer}/"), "client_id": "globex-app", "client_secret": "s3cret-value" })),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = json(saved).await;
    assert_eq!(saved["provider"]["issuer"], issuer);
    assert_eq!(saved["provider"]["client_secret_set"], true);
    assert_eq!(saved["provider"]["updated_by"]["name"], "Gwen Garcia");
    assert!(!saved.to_string().contains("s3cret-value"));
    let stored = crate::helpers::blobs(
        &app.db().await,
        "SELECT client_secret FROM team_sso_providers",
    )
    .await;
    assert!(stored.iter().all(|b| !b.windows(6).any(|w| w == b"s3cret")));
    // Changing the client keeps the secret when none is given.
    let kept = gwen
        .send(
            Method::PUT,
            "/api/team/sso",
            Some(json!({ "issuer": issuer, "client_id": "globex-app" })),
        )
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    // Globex requires SSO ("SSO enforced"), so with a provider its password form closes.
    let closed = app
        .anonymous()
        .send(
            Method::POST,
            "/api/session",
            Some(json!({ "email": "gary@globex.test", "password": "partner-demo" })),
        )
        .await;
    assert_eq!(json(closed).await["error"]["code"], "sso_only");
    // Audited; removing it opens the password form again.
    assert_eq!(
        gwen.status(Method::DELETE, "/api/team/sso", None).await,
        204
    );
    assert_eq!(
        gwen.status(Method::DELETE, "/api/team/sso", None).await,
        404
    );
    app.session("gary").await;
    let log = gwen.get_json("/api/team/audit-log").await;
    let sentences: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        sentences.contains(&"team.sso_provider_set"),
        "{sentences:?}"
    );
    assert!(
        sentences.contains(&"team.sso_provider_removed"),
        "{sentences:?}"
    );
}

/// What a partner gets from a workspace's endpoints: (workspace, members, access status,
/// the External Workspaces row's `sso_required`).
async fn partner_view(session: &Session, workspace: &str) -> (u16, u16, String, bool) {
    let ws = session
        .status(Method::GET, &format!("/api/workspaces/{workspace}"), None)
        .await;
    let members = session
        .status(
            Method::GET,
            &format!("/api/workspaces/{workspace}/members"),
            None,
        )
        .await;
    let access = session
        .get_json(&format!("/api/workspaces/{workspace}/access"))
        .await;
    let list = session.get_json("/api/workspaces?tab=shared_partner").await;
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == workspace)
        .expect("the workspace stays listed")
        .clone();
    (
        ws,
        members,
        access["status"].as_str().unwrap().to_owned(),
        row.get("sso_required") == Some(&json!(true)),
    )
}

#[tokio::test]
async fn a_publisher_requires_sso_of_a_partner_team_on_every_answer() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    provider_for(&app, "initech.test").await;
    let hana = app.session("hana").await;
    let alice = app.session("alice").await;
    let password = app.session("ivan").await;
    let sso = app.anonymous();
    sso_sign_in(
        &app,
        &sso,
        "ivan@initech.test",
        Some("ivan@initech.test"),
        "/",
    )
    .await;
    assert_eq!(method_of(&sso).await, "sso");

    let requirement = format!("/api/partnerships/{}/sso-requirement", ids.initech);
    // Only the publisher's partner managers; only teams it shares with.
    assert_eq!(
        password
            .status(Method::PUT, &requirement, Some(json!({ "required": true })))
            .await,
        403
    );
    assert_eq!(
        hana.status(
            Method::PUT,
            &format!("/api/partnerships/{}/sso-requirement", ids.globex),
            Some(json!({ "required": true }))
        )
        .await,
        404
    );
    assert_eq!(
        hana.status(
            Method::PUT,
            &requirement,
            Some(json!({ "required": "yes" }))
        )
        .await,
        422
    );

    let search = ids.hooli_search.as_str();
    for required in [false, true] {
        assert_eq!(
            hana.status(
                Method::PUT,
                &requirement,
                Some(json!({ "required": required }))
            )
            .await,
            204
        );
        let detail = hana
            .get_json(&format!("/api/partnerships/{}", ids.initech))
            .await;
        assert_eq!(detail["sso_required"], required);
        assert_eq!(detail["sso_available"], true);
        let listed = hana.get_json("/api/partnerships").await;
        let row = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"]["id"] == ids.initech.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["sso_required"], required);

        // The matrix: SSO session × password session, required or not.
        assert_eq!(
            partner_view(&sso, search).await,
            (200, 200, "partner".into(), false),
            "SSO session, required: {required}"
        );
        let expected = if required {
            (403, 403, "sso_required".into(), true)
        } else {
            (200, 200, "partner".into(), false)
        };
        assert_eq!(
            partner_view(&password, search).await,
            expected,
            "password session, required: {required}"
        );
        // Acme requires nothing: ivan's Acme workspaces open on either session.
        assert_eq!(
            partner_view(&password, &ids.payments).await,
            (200, 200, "partner".into(), false)
        );
    }
    // What the password session is told, and what it still sees of the workspace.
    let refused = password
        .send(Method::GET, &format!("/api/workspaces/{search}"), None)
        .await;
    let body = json(refused).await;
    assert_eq!(body["error"]["code"], "sso_required");
    assert_eq!(
        body["error"]["message"],
        "Hooli requires Initech people to sign in with SSO."
    );
    let access = password
        .get_json(&format!("/api/workspaces/{search}/access"))
        .await;
    assert_eq!(
        access["sso_required"],
        json!({ "publisher": "Hooli", "partner_team": "Initech" })
    );
    let list = password
        .get_json("/api/workspaces?tab=shared_partner")
        .await;
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == search)
        .unwrap()
        .clone();
    assert_eq!(row["summary"], "");
    assert_eq!(row["permissions"]["lead_own_team"], false);
    // Asking for access again is answered the same way, not "you already have access".
    let asked = password
        .send(
            Method::POST,
            &format!("/api/workspaces/{search}/access-requests"),
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(json(asked).await["error"]["code"], "sso_required");
    // The publisher's own people are not partners: unaffected.
    assert_eq!(
        hana.status(Method::GET, &format!("/api/workspaces/{search}"), None)
            .await,
        200
    );
    assert_eq!(
        alice
            .status(Method::GET, &format!("/api/workspaces/{search}"), None)
            .await,
        404
    );
    // Audited in Hooli's log.
    let log = hana
        .get_json("/api/team/audit-log?action=partner.sso_requirement_changed")
        .await;
    // Once: turning off what was off changed nothing.
    assert_eq!(log["entries"].as_array().unwrap().len(), 1, "{log}");
}
