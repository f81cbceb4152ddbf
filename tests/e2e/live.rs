//! Live updates: what another person changes shows on the page someone has open, through
//! the real `GET /api/events` stream. The other person is an API client signed in as them.

use std::path::PathBuf;

use thirtyfour::prelude::*;

use crate::harness::{Env, partner_id};
use crate::screenshots::shoot;

/// Wanda (Workspace Admin of Payments API) turns multi-partner mode on or off.
async fn wanda_sets_multi_partner_mode(env: &Env, workspace: &str, on: bool) {
    let answer = env
        .api_client("wanda@acme.test")
        .await
        .patch(format!("{}/api/workspaces/{workspace}/settings", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&serde_json::json!({ "multi_partner_mode": on }))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// Alice (Team Admin of Acme) removes a partner from a workspace.
async fn alice_removes_partner(env: &Env, workspace: &str, name: &str) {
    let alice = env.api_client("alice@acme.test").await;
    let user = partner_id(&alice, &env.base, workspace, name).await;
    let answer = alice
        .delete(format!(
            "{}/api/workspaces/{workspace}/partners/{user}",
            env.base
        ))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// Alice has Payments API's settings open with a name half typed; Wanda turns
/// multi-partner mode on elsewhere.
async fn settings_changed_by_wanda(env: &Env) -> String {
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("alice@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    env.until_switch("false").await;
    let name = env.css("#workspace-name").await;
    name.send_keys(" (draft)").await.unwrap();
    env.until_live().await;

    wanda_sets_multi_partner_mode(env, &payments, true).await;
    payments
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_made_elsewhere_moves_the_switch_says_who_and_keeps_what_is_typed() {
    let env = Env::start().await;
    settings_changed_by_wanda(&env).await;

    env.until_switch("true").await;
    let line = env
        .find_text("p", "Wanda Wells turned on multi-partner mode just now.")
        .await;
    assert_eq!(line.attr("role").await.unwrap().as_deref(), Some("status"));
    let name = env.css("#workspace-name").await;
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Payments API (draft)"),
        "the half-typed name is kept"
    );
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_left_for_another_gives_its_stream_back_and_hears_what_it_missed_on_return() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("alice@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    env.until_switch("false").await;
    env.until_live().await;
    // What this document does with its stream from now on, and a mark that tells whether
    // Back brings this very document back (the back/forward cache) or loads it anew.
    env.driver
        .execute(
            "window.__stayed = true;
             window.__live = [];
             new MutationObserver(() => window.__live.push(
                 document.documentElement.getAttribute('data-live') || 'closed'))
               .observe(document.documentElement, { attributeFilter: ['data-live'] });",
            vec![],
        )
        .await
        .unwrap();

    // Left for another page (a full load), the page kept in the cache closes its stream:
    // six such pages held every HTTP/1.1 connection to the site, and the next page waited
    // up to a minute for one.
    env.open("/workspaces").await;
    env.until_live().await;
    wanda_sets_multi_partner_mode(&env, &payments, true).await;
    env.driver.back().await.unwrap();
    env.find_text("h2", "Partner access").await;
    env.until_switch("true").await;
    let (stayed, live) = {
        let answer = env
            .driver
            .execute("return [window.__stayed === true, window.__live];", vec![])
            .await
            .unwrap();
        let answer = answer.json();
        (answer[0].as_bool(), answer[1].clone())
    };
    assert_eq!(
        stayed,
        Some(true),
        "Back loaded the page anew: no cache to test"
    );
    assert_eq!(
        live,
        serde_json::json!(["closed", "open"]),
        "the stream closed when the page was left and opened again on its return"
    );
    env.finish().await;
}

/// Ivan has Payments API open when Alice removes him; the page says so (an alert, so a
/// screen reader says it at once).
async fn ivan_loses_payments_while_it_is_open(env: &Env) {
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("ivan@initech.test").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h1", "Payments API").await;
    env.until_live().await;
    alice_removes_partner(env, &payments, "Ivan Ito").await;
    env.find_text("div[@role='alert']", "Your access to Payments API ended.")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn access_that_ends_while_the_workspace_is_open_says_so_and_shows_what_to_do() {
    let env = Env::start().await;
    ivan_loses_payments_while_it_is_open(&env).await;
    // The page's own no-access state, with what to do: never a blank page.
    env.find_text("h1", "You don't have access to this workspace")
        .await;
    env.assert_none(By::XPath("//h1[contains(., 'Payments API')]"))
        .await;
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn live_update_screenshots() {
    let dir = PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    settings_changed_by_wanda(&env).await;
    env.find_text("p", "Wanda Wells turned on multi-partner mode just now.")
        .await;
    shoot_here(&env, &dir, "live-settings-changed-by").await;

    env.driver.delete_all_cookies().await.unwrap();
    ivan_loses_payments_while_it_is_open(&env).await;
    shoot(&env, &dir, "live-access-ended").await;
    env.finish().await;
}

/// The screen as it is scrolled now, at 1280 and 375 px (the switch's section, not the top).
async fn shoot_here(env: &Env, dir: &std::path::Path, name: &str) {
    for width in crate::a11y::WIDTHS {
        crate::a11y::viewport(env, width).await;
        env.find_text("p", "turned on multi-partner mode").await;
        env.driver
            .execute(
                "document.querySelector('[data-testid=multi-partner-changed-by]')\
                 .scrollIntoView({block: 'center'});",
                vec![],
            )
            .await
            .unwrap();
        env.driver
            .screenshot(&dir.join(format!("{name}-{width}.png")))
            .await
            .unwrap();
    }
    crate::a11y::viewport(env, crate::a11y::WIDTHS[0]).await;
}
