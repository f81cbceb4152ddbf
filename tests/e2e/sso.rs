//! SSO in the browser, against the demo's identity provider (`/dev/oidc`): Sam (Soylent,
//! which requires SSO) follows a link to Hooli Search API, is offered only "Continue with
//! Soylent SSO", signs in at the provider and lands on the workspace; a cancelled sign-in
//! says why; Hooli requires SSO of Initech from the Partnerships drawer and Ivan, on a
//! password session, is told so with a button that starts SSO. Each state is audited with
//! axe at 1280 and 375 px, light and dark.

use std::time::Duration;

use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// The drawer's "Require SSO for Initech people" switch.
const SWITCH: &str = "//dialog[@open]//*[@role='switch'][@id=//label[contains(normalize-space(.), 'Require SSO for Initech people')]/@for or contains(@aria-label, 'Require SSO for Initech people')]";

/// The id of Hooli Search API, looked up as Hana.
async fn hooli_search(env: &Env) -> String {
    let client = env.api_client("hana@hooli.test").await;
    let list: serde_json::Value = client
        .get(format!("{}/api/workspaces?tab=all", env.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["items"][0]["id"].as_str().unwrap().to_owned()
}

/// The "Continue with … SSO" link of the sign-in page.
async fn continue_link(env: &Env, label: &str) -> WebElement {
    env.driver
        .query(By::XPath(format!(
            "//a[normalize-space(.)={}]",
            crate::harness::xpath_literal(label)
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no link {label:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn sam_follows_a_link_signs_in_with_sso_and_lands_on_the_workspace() {
    let env = Env::start().await;
    let mut found = Vec::new();
    let workspace = hooli_search(&env).await;
    let path = format!("/workspace/{workspace}");

    env.open(&path).await;
    env.until_path(&format!("/signin?next={path}")).await;
    env.field("Email")
        .await
        .send_keys("sam@soylent.test")
        .await
        .unwrap();
    // Soylent requires SSO: once the address is known, only its SSO is offered.
    let link = continue_link(&env, "Continue with Soylent SSO").await;
    env.find_text("p", "Soylent requires single sign-on").await;
    env.until_none(By::XPath("//input[@type='password']")).await;
    found.extend(audit(&env, "sign-in, SSO only").await);
    link.click().await.unwrap();

    // The demo's identity provider: it says what it is, and signs in the address given.
    env.find_text("h1", "Development identity provider").await;
    let typed = env
        .driver
        .find(By::Id("email"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("sam@soylent.test"));
    env.button("Sign in").await.click().await.unwrap();

    env.until_path(&path).await;
    env.find_text("h1", "Hooli Search API").await;
    env.find_text("p", "Search Hooli's catalogue").await;
    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_sign_in_says_why_and_keeps_the_address() {
    let env = Env::start().await;
    env.open("/signin").await;
    env.field("Email")
        .await
        .send_keys("sam@soylent.test")
        .await
        .unwrap();
    continue_link(&env, "Continue with Soylent SSO")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("h1", "Development identity provider").await;
    env.button("Cancel").await.click().await.unwrap();
    // Back on the sign-in page, still on the way to where the sign-in was going.
    env.until_path("/signin?sso_error=denied&email=sam%40soylent.test&next=%2Fworkspaces")
        .await;
    env.find_text(
        "*[@role='alert']",
        "Your identity provider didn't sign you in",
    )
    .await;
    let email = env.field("Email").await.value().await.unwrap();
    assert_eq!(email.as_deref(), Some("sam@soylent.test"));
    let found = audit(&env, "sign-in, SSO refused").await;
    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hooli_requires_sso_of_initech_and_ivan_is_told_how_to_get_in() {
    let env = Env::start().await;
    let mut found = Vec::new();
    let workspace = hooli_search(&env).await;

    // Hana requires SSO of Initech in its Partnerships drawer (the Soylent row shows it).
    env.sign_in("hana@hooli.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("tr", "Soylent").await;
    let soylent = env.text_of("tr", "Soylent").await;
    assert!(soylent.contains("SSO required"), "{soylent}");
    env.click_text("a", "Initech").await;
    let switch = env
        .driver
        .query(By::XPath(SWITCH))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("false")
    );
    // Initech has no provider here: the drawer says what requiring it does.
    env.find_text(
        "dialog[@open]//p",
        "Initech has no SSO provider set up here",
    )
    .await;
    found.extend(audit(&env, "Partnerships drawer, SSO requirement").await);
    switch.click().await.unwrap();
    env.until_switch_at(By::XPath(SWITCH), "true").await;

    // Ivan, on a password session, opens it: who requires what, and a way in.
    env.sign_in_as("ivan@initech.test").await;
    env.open(&format!("/workspace/{workspace}")).await;
    let sentence = env
        .css("[data-testid=sso-required-sentence]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        sentence,
        "Hooli requires Initech people to sign in with SSO."
    );
    let start = env
        .driver
        .find(By::XPath("//a[normalize-space(.)='Sign in with SSO']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(start.starts_with("/api/sso/start?"), "{start}");
    assert!(start.contains("ivan%40initech.test"), "{start}");
    found.extend(audit(&env, "workspace, SSO required").await);
    // External Workspaces keeps the row, marked.
    env.open("/workspaces?tab=shared_partner").await;
    let row = env.text_of("tr", "Hooli Search API").await;
    assert!(row.contains("SSO required"), "{row}");
    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sam_signs_in_with_sso_using_only_the_keyboard() {
    use crate::keyboard::{press, tab_to};
    let env = Env::start().await;
    env.open("/signin").await;
    tab_to(&env, "(el) => el.type === 'email'", "the Email field").await;
    env.driver
        .active_element()
        .await
        .unwrap()
        .send_keys("sam@soylent.test")
        .await
        .unwrap();
    continue_link(&env, "Continue with Soylent SSO").await;
    tab_to(
        &env,
        "(el) => el.tagName === 'A' && el.textContent.trim() === 'Continue with Soylent SSO'",
        "Continue with Soylent SSO",
    )
    .await;
    press(&env, Key::Enter).await;
    env.find_text("h1", "Development identity provider").await;
    tab_to(
        &env,
        "(el) => el.tagName === 'BUTTON' && el.textContent.trim() === 'Sign in'",
        "the provider's Sign in",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_path("/workspaces").await;
    env.find_text("*", "Sam Soto").await;
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn gwen_sets_up_single_sign_on_and_is_told_what_the_issuer_lacks() {
    let env = Env::start().await;
    let mut found = Vec::new();
    env.sign_in("gwen@globex.test").await;
    env.open("/settings/team/sso").await;
    env.find_text("h1", "Single sign-on").await;
    env.find_text("li", "globex.test").await;
    found.extend(audit(&env, "Team Settings > Single sign-on, no provider").await);

    // An issuer the server can't read: refused under its field, and nothing is saved.
    env.field("Issuer URL")
        .await
        .send_keys("http://127.0.0.1:9/nothing")
        .await
        .unwrap();
    env.field("Client ID")
        .await
        .send_keys("globex-app")
        .await
        .unwrap();
    env.field("Client secret")
        .await
        .send_keys("a-secret")
        .await
        .unwrap();
    env.button("Set up SSO").await.click().await.unwrap();
    env.find_text("*", "it couldn't be reached. Check the issuer URL.")
        .await;
    found.extend(audit(&env, "Team Settings > Single sign-on, issuer refused").await);
    let client = env.api_client("gwen@globex.test").await;
    let settings: serde_json::Value = client
        .get(format!("{}/api/team/sso", env.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["provider"], serde_json::Value::Null);
    assert_none(&found);
    env.finish().await;
}
