//! Partner Lead: a publisher makes a partner Partner Lead of a workspace (wanda, Payments
//! API); a Partner Lead (gina, Globex) invites colleagues of her own team from the workspace
//! page and is refused, with the server's reason, for anyone else.

use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::{Env, xpath_literal};

/// The members of a workspace as `email` sees them through the API.
async fn members(env: &Env, email: &str, workspace: &str) -> Value {
    let client = env.api_client(email).await;
    let response = client
        .get(format!("{}/api/workspaces/{workspace}/members", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The partner with this email in a members list.
fn partner<'a>(members: &'a Value, email: &str) -> Option<&'a Value> {
    members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == email)
}

/// The text of "Your team in this workspace".
async fn lead_section(env: &Env) -> String {
    env.driver
        .query(By::Css("[data-testid=lead-team]"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .expect("the Partner Lead's section")
        .text()
        .await
        .unwrap()
}

/// Types `email` into the section's invitation and sends it as a Viewer.
async fn invite(env: &Env, email: &str) {
    let field = env.field("Email address").await;
    field.clear().await.unwrap();
    field.send_keys(email).await.unwrap();
    env.click(By::XPath(
        "//*[@data-testid='lead-team']//button[@type='submit']".to_owned(),
    ))
    .await;
}

/// Clicks what `by` finds after scrolling it to the middle of the window, as a person
/// does when the toasts in the bottom corner cover it.
async fn click_centered(env: &Env, by: By) {
    let element = env
        .driver
        .query(by.clone())
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("nothing to click at {by:?}: {e}"));
    element.scroll_into_view().await.unwrap();
    element.click().await.unwrap();
}

/// The Partner Lead checkbox of `name` in the settings' partner list.
async fn lead_checkbox(env: &Env, name: &str) -> WebElement {
    env.driver
        .query(By::XPath(format!(
            "//input[@type='checkbox'][@id=//label[normalize-space(.)={}]/@for]",
            xpath_literal(&format!("Partner Lead for {name}"))
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no Partner Lead checkbox for {name}: {e}"))
}

/// Waits until `name`'s checkbox is `checked` and not disabled (nothing in flight).
async fn until_lead(env: &Env, name: &str, checked: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let checkbox = lead_checkbox(env, name).await;
        let now = checkbox.is_selected().await.unwrap();
        let enabled = checkbox.is_enabled().await.unwrap();
        if now == checked && enabled {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name}'s Partner Lead checkbox stayed checked={now} enabled={enabled}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gina_invites_a_globex_colleague_from_the_workspace_page_and_is_refused_for_initech() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let mut found = Vec::new();

    env.sign_in("gina@globex.test").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h2", "Your team in this workspace").await;
    let section = lead_section(&env).await;
    assert!(
        section.contains("You're Partner Lead for Globex here"),
        "{section}"
    );
    assert!(section.contains("Gary Green"), "{section}");
    assert!(section.contains("Gina Gray (you)"), "{section}");
    // Another partner team (Initech) is never part of it, whatever the page shows below.
    assert!(!section.contains("Ivan"), "{section}");
    assert!(!section.contains("Initech"), "{section}");
    found.extend(audit(&env, "workspace, Partner Lead").await);

    // A colleague of Globex, as a Viewer.
    invite(&env, "gwen@globex.test").await;
    env.find_text("*[@data-testid='lead-team-person']", "Gwen Garcia")
        .await;
    let gwen = env
        .text_of("*[@data-testid='lead-team-person']", "Gwen Garcia")
        .await;
    assert!(gwen.contains("Viewer"), "{gwen}");
    assert!(gwen.contains("Invited by Gina Gray"), "{gwen}");
    env.find_text(
        "p[@role='status']",
        "Gwen Garcia (gwen@globex.test) can open Payments API now",
    )
    .await;
    let listed = members(&env, "wanda@acme.test", &payments).await;
    let gwen = partner(&listed, "gwen@globex.test").expect("gwen is a partner now");
    assert_eq!(gwen["role"], "viewer");
    assert_eq!(gwen["invited_by"]["email"], "gina@globex.test");

    // Someone of Initech: refused, with the server's own reason shown.
    let gina = env.api_client("gina@globex.test").await;
    let refused = gina
        .post(format!("{}/api/workspaces/{payments}/partners", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&serde_json::json!({ "email": "ivan@initech.test", "role": "viewer" }))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let reason: Value = refused.json().await.unwrap();
    let reason = reason["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        reason.contains("Globex"),
        "the rule names her team: {reason}"
    );

    invite(&env, "ivan@initech.test").await;
    let alert = env
        .find_text(
            "*[@data-testid='lead-team']//*[@role='alert']",
            "wasn't invited",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        alert.contains("ivan@initech.test wasn't invited."),
        "{alert}"
    );
    assert!(alert.contains(&reason), "{alert} should say {reason}");
    let section = lead_section(&env).await;
    assert!(!section.contains("Ivan Ito"), "{section}");
    found.extend(audit(&env, "workspace, Partner Lead, invitation refused").await);

    // Remove the colleague again, after the confirmation.
    click_centered(
        &env,
        By::XPath("//button[@aria-label='Remove Gwen Garcia']".to_owned()),
    )
    .await;
    env.find_text(
        "dialog[@open]",
        "Gwen Garcia (gwen@globex.test) loses access to Payments API",
    )
    .await;
    found.extend(audit(&env, "workspace, Partner Lead, remove dialog").await);
    env.click(By::XPath(
        "//dialog[@open]//button[normalize-space(.)='Remove']".to_owned(),
    ))
    .await;
    env.until_none(By::XPath(
        "//*[@data-testid='lead-team-person'][contains(., 'Gwen Garcia')]".to_owned(),
    ))
    .await;
    let listed = members(&env, "wanda@acme.test", &payments).await;
    assert!(partner(&listed, "gwen@globex.test").is_none(), "{listed}");

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wanda_makes_gary_partner_lead_and_the_badge_shows() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let mut found = Vec::new();

    env.sign_in("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    until_lead(&env, "Gina Gray", true).await;
    until_lead(&env, "Gary Green", false).await;
    found.extend(audit(&env, "workspace settings, Partner Lead").await);

    lead_checkbox(&env, "Gary Green")
        .await
        .click()
        .await
        .unwrap();
    env.find_text(
        "*[@role='status']",
        "Gary Green is now Partner Lead of Payments API",
    )
    .await;
    until_lead(&env, "Gary Green", true).await;
    let gary = env
        .find_text("*[@data-testid='partner']", "Gary Green")
        .await;
    gary.query(By::XPath(
        ".//span[contains(@class,'badge')][normalize-space(.)='Partner Lead']",
    ))
    .wait(Duration::from_secs(10), Duration::from_millis(50))
    .first()
    .await
    .expect("Gary's Partner Lead badge");

    // Saved: a reload and the API say so.
    env.driver.refresh().await.unwrap();
    env.find_text("h2", "Partner access").await;
    until_lead(&env, "Gary Green", true).await;
    let listed = members(&env, "wanda@acme.test", &payments).await;
    assert_eq!(partner(&listed, "gary@globex.test").unwrap()["lead"], true);

    // Gary now has his own team's section on the workspace page.
    env.sign_in_as("gary@globex.test").await;
    env.open(&format!("/workspace/{payments}")).await;
    let section = lead_section(&env).await;
    assert!(
        section.contains("You're Partner Lead for Globex here"),
        "{section}"
    );

    assert_none(&found);
    env.finish().await;
}
