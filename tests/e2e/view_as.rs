//! View as partner in the browser: Wanda (Workspace Admin of Fraud Signals) views it as Uma
//! Ueda from its partner list: the banner says so on every page, the members are Umbrella's
//! only (multi-partner mode), a change is refused with the server's reason, and Exit goes
//! back to the settings as Wanda; Acme's audit log says it in one sentence. Audited with axe.

use std::time::Duration;

use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::Env;

#[tokio::test(flavor = "multi_thread")]
async fn wanda_views_fraud_signals_as_uma_and_exits() {
    let env = Env::start().await;
    let mut found = Vec::new();
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let settings = format!("/workspace/{fraud}/settings");

    env.sign_in("wanda@acme.test").await;
    env.open(&settings).await;
    env.driver
        .query(By::XPath("//button[@aria-label='View as Uma Ueda']"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    env.until_path(&format!("/workspace/{fraud}")).await;
    let banner = env
        .css("[data-testid=view-as-banner]")
        .await
        .text()
        .await
        .unwrap();
    assert!(banner.contains("Fraud Signals"), "{banner}");
    assert!(banner.contains("Uma Ueda"), "{banner}");
    // What Uma sees: Umbrella's partners only.
    env.find_text("h1", "Fraud Signals").await;
    let main = env.main_text().await;
    assert!(main.contains("Uma Ueda"), "{main}");
    assert!(!main.contains("Ivan Ito"), "{main}");
    found.extend(audit(&env, "workspace, view as partner").await);

    // External Workspaces in the view: Acme's workspaces shared with Uma, banner still on.
    env.open("/workspaces?tab=shared_partner").await;
    env.find_text("tr", "Fraud Signals").await;
    env.driver
        .query(By::Css("[data-testid=view-as-banner]"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    found.extend(audit(&env, "External Workspaces, view as partner").await);

    env.button("Exit view").await.click().await.unwrap();
    env.until_path(&settings).await;
    env.until_none(By::Css("[data-testid=view-as-banner]"))
        .await;
    env.find_text("h1", "Fraud Signals").await;

    // Acme's audit log, as Alice: one sentence.
    env.sign_in_as("alice@acme.test").await;
    env.open("/settings/team/audit-log?action=partner.viewed_as")
        .await;
    env.find_text("li", "Wanda Wells viewed Fraud Signals as Uma Ueda")
        .await;
    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wanda_views_as_uma_and_exits_with_the_keyboard() {
    use crate::keyboard::{press, tab_to, until_focused};
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let settings = format!("/workspace/{fraud}/settings");
    env.sign_in("wanda@acme.test").await;
    env.open(&settings).await;
    env.driver
        .query(By::XPath("//button[@aria-label='View as Uma Ueda']"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    tab_to(
        &env,
        "(el) => el.getAttribute('aria-label') === 'View as Uma Ueda'",
        "View as Uma Ueda",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_path(&format!("/workspace/{fraud}")).await;
    // The banner takes the focus: the view is announced where it starts.
    until_focused(
        &env,
        "(el) => el.dataset.testid === 'view-as-banner'",
        "the view's banner",
    )
    .await;
    env.find_text("h1", "Fraud Signals").await;
    tab_to(
        &env,
        "(el) => el.tagName === 'BUTTON' && el.textContent.trim() === 'Exit view'",
        "Exit view",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_path(&settings).await;
    env.until_none(By::Css("[data-testid=view-as-banner]"))
        .await;
    env.finish().await;
}
