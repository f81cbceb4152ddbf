use std::path::Path;
use std::time::Duration;

use thirtyfour::prelude::*;

use crate::harness::{DEMO_PASSWORD, Env};

/// Saves what the browser shows as `<name>.png` (and `<name>-375.png`, 375 px wide) in
/// `$E2E_SCREENSHOTS` when that is set, for a person to look at; nothing is asserted.
async fn snap(env: &Env, name: &str) {
    let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") else {
        return;
    };
    let dir = Path::new(&dir);
    let save = |suffix: &str, png: Vec<u8>| {
        std::fs::write(dir.join(format!("{name}{suffix}.png")), png).unwrap();
    };
    save("", env.driver.screenshot_as_png().await.unwrap());
    let window = env.driver.get_window_rect().await.unwrap();
    env.driver.set_window_rect(0, 0, 375, 800).await.unwrap();
    save("-375", env.driver.screenshot_as_png().await.unwrap());
    env.driver
        .set_window_rect(0, 0, window.width as u32, window.height as u32)
        .await
        .unwrap();
}

/// Signs the browser out by dropping its cookies; the next page load starts signed out.
async fn forget_session(env: &Env) {
    env.driver.delete_all_cookies().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_email_link_opened_signed_out_signs_in_and_lands_on_the_workspace() {
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let link = format!("/workspace/{fraud}");

    env.open(&link).await;
    env.until_path(&format!("/signin?next={link}")).await;
    env.submit_sign_in("uma@umbrella.test", DEMO_PASSWORD).await;

    env.until_path(&link).await;
    env.find_text("h1", "Fraud Signals").await;
    env.find_text("*[@data-testid='publisher']", "Acme Payments")
        .await;
    env.find_text("*[@data-testid='your-role']", "Partner Viewer")
        .await;
    // Multi-partner mode: Acme's people and Uma's own team, no one from Initech.
    env.find_text("section[@data-team='Acme Payments']", "Wanda Wells")
        .await;
    env.find_text("section[@data-team='Umbrella']", "Uma Ueda")
        .await;
    let text = env.main_text().await;
    assert!(text.contains("Multi-partner mode is on"), "{text}");
    assert!(!text.contains("Initech"), "{text}");
    assert!(!text.contains("Ivan"), "{text}");
    assert!(!text.contains("ivan@"), "{text}");
    snap(&env, "workspace-uma").await;
    // The top bar says which account the link opened in.
    env.find_text("*[@data-testid='account']", "uma@umbrella.test")
        .await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_access_the_page_names_the_account_and_access_can_be_requested() {
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let link = format!("/workspace/{fraud}");

    // Gary asked already (demo data): the page says so.
    env.sign_in("gary@globex.test").await;
    env.open(&link).await;
    env.find_text("p", "You're signed in as gary@globex.test")
        .await;
    env.find_text("p", "This workspace isn't shared with this account.")
        .await;
    env.find_text("span", "Your request is pending.").await;
    assert!(!env.main_text().await.contains("Fraud Signals"));
    snap(&env, "no-access-gary").await;

    // Switch account: sign out, sign in as Gina, and come straight back.
    env.button("Switch account").await.click().await.unwrap();
    env.until_path(&format!("/signin?next={link}")).await;
    env.submit_sign_in("gina@globex.test", DEMO_PASSWORD).await;
    env.until_path(&link).await;
    env.find_text("p", "You're signed in as gina@globex.test")
        .await;
    let text = env.main_text().await;
    assert!(!text.contains("Fraud Signals"), "{text}");
    assert!(!text.contains("pending"), "{text}");
    snap(&env, "no-access-gina-form").await;

    env.driver
        .query(By::Css("textarea#access-message"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap()
        .send_keys("I build Globex's checkout and need the fraud scores.")
        .await
        .unwrap();
    env.button("Request access").await.click().await.unwrap();
    env.find_text("*[@role='status']", "Request sent.").await;
    snap(&env, "no-access-gina-sent").await;
    assert!(!env.main_text().await.contains("Fraud Signals"));

    // The same page later: the request is pending.
    env.open(&link).await;
    env.find_text("span", "Your request is pending.").await;
    env.assert_none(By::Css("textarea#access-message")).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ended_access_unknown_ids_and_old_link_forms_each_get_a_helpful_page() {
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let link = format!("/workspace/{fraud}");

    // Ed left Globex: his access ended with it.
    env.sign_in("ed@globex.test").await;
    env.open(&link).await;
    env.find_text("h1", "Your access to this workspace has ended")
        .await;
    env.find_text("p", "Partner access belongs to a team").await;
    env.find_text("li", "Team Admin to add you").await;
    snap(&env, "ended-ed").await;
    assert!(!env.main_text().await.contains("Fraud Signals"));

    // An old link form leads to the workspace's one address.
    env.open(&format!("{link}/overview")).await;
    env.until_path(&link).await;
    env.find_text("h1", "Your access to this workspace has ended")
        .await;

    // An id that leads nowhere: a page that says so, with ways on.
    env.open("/workspace/no-such-workspace").await;
    env.find_text("h1", "Workspace not found").await;
    env.find_text("a", "Go to your workspaces").await;
    snap(&env, "not-found").await;
    env.find_text("p", "You're signed in as ed@globex.test")
        .await;

    // A junk tab shows All, and the address says so.
    env.open("/workspaces?tab=junk").await;
    env.until_path("/workspaces").await;
    env.find_text("a[@role='tab'][@aria-selected='true']", "All")
        .await;
    env.find_text("h3", "Your account doesn't belong to a team")
        .await;
    snap(&env, "empty-ed").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn external_workspaces_are_grouped_by_publisher_and_searchable() {
    let env = Env::start().await;

    env.sign_in("ivan@initech.test").await;
    env.open("/workspaces?tab=shared_partner").await;
    env.find_text("tbody[@data-publisher='Acme Payments']//th", "3 workspaces")
        .await;
    env.find_text("tbody[@data-publisher='Hooli']//th", "1 workspace")
        .await;
    let rows = |publisher: &'static str| {
        let driver = env.driver.clone();
        async move {
            driver
                .find_all(By::Css(format!(
                    "tbody[data-publisher='{publisher}'] tr[data-workspace]"
                )))
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(rows("Acme Payments").await, 3);
    assert_eq!(rows("Hooli").await, 1);
    env.find_text("tr", "Refunds API").await;
    let refunds = env
        .find_text("tr", "Refunds API")
        .await
        .text()
        .await
        .unwrap();
    assert!(refunds.contains("Legacy"), "{refunds}");
    assert!(refunds.contains("Partner Viewer"), "{refunds}");
    snap(&env, "external-ivan").await;

    // Search within the tab: the address follows, without a history entry per key.
    let search = env
        .driver
        .find(By::Css("input[type='search']"))
        .await
        .unwrap();
    search.send_keys("hooli").await.unwrap();
    env.until_path("/workspaces?tab=shared_partner&q=hooli")
        .await;
    assert!(
        env.driver
            .query(By::Css("tbody[data-publisher='Acme Payments']"))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .not_exists()
            .await
            .unwrap(),
        "Acme's workspaces don't match the search"
    );
    assert_eq!(rows("Hooli").await, 1);

    // Open goes to the workspace.
    env.find_text("a", "Open").await.click().await.unwrap();
    env.find_text("h1", "Hooli Search API").await;
    assert!(env.path().await.starts_with("/workspace/"));

    // A publisher's own lists: partner workspaces marked, multi-partner mode shown.
    forget_session(&env).await;
    env.sign_in("alice@acme.test").await;
    let fraud = env
        .find_text("tr", "Fraud Signals")
        .await
        .text()
        .await
        .unwrap();
    assert!(fraud.contains("Partner"), "{fraud}");
    assert!(fraud.contains("Multi-partner mode"), "{fraud}");
    let tools = env
        .find_text("tr", "Internal Tools")
        .await
        .text()
        .await
        .unwrap();
    assert!(tools.contains("Internal"), "{tools}");
    snap(&env, "all-alice").await;

    env.finish().await;
}
