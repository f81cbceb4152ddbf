use std::time::Duration;

use serde_json::json;
use thirtyfour::prelude::*;

use crate::harness::{DEMO_PASSWORD, Env};

const UPGRADED: &str = "Your Partner Workspace with Acme Payments has been upgraded";

/// A Team Admin migrates the legacy Refunds API (outside the browser, as an API client)
/// and waits for the run, which goes on after the answer, to be done.
async fn migrate_as_alice(env: &Env) {
    let alice = env.api_client("alice@acme.test").await;
    let migrated = alice
        .post(format!("{}/api/migration", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&json!({ "dry_run": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(migrated.status(), 202);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let overview: serde_json::Value = alice
            .get(format!("{}/api/migration", env.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if overview["run"]["state"] == "done" {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the migration did not finish: {overview}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_go_to_workspace_link_of_an_email_opens_the_workspace() {
    let env = Env::start().await;
    migrate_as_alice(&env).await;

    // Ivan, not signed in yet, reads his email in the dev mailbox.
    env.open("/dev/mailbox").await;
    env.find_text("h1", "Dev mailbox").await;
    env.find_text("a", UPGRADED).await.click().await.unwrap();
    env.find_text("h2", UPGRADED).await;
    let frame = env
        .driver
        .query(By::Css(format!("iframe[title='Email: {UPGRADED}']")))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    assert_eq!(
        frame.attr("sandbox").await.unwrap().as_deref(),
        Some("allow-top-navigation-by-user-activation"),
        "the email's HTML runs no script and can only navigate when clicked"
    );

    // He clicks "Go to workspace" in the email itself.
    frame.enter_frame().await.unwrap();
    let link = env.find_text("a", "Go to workspace").await;
    let href = link.attr("href").await.unwrap().expect("a link");
    let workspace_path = href
        .strip_prefix(&env.base)
        .unwrap_or_else(|| panic!("{href} is an absolute link to this app"))
        .to_owned();
    assert!(workspace_path.starts_with("/workspace/"), "{href}");
    link.click().await.unwrap();
    env.driver.enter_default_frame().await.unwrap();

    // Not signed in: sign in, then straight back to the workspace.
    env.until_path(&format!("/signin?next={workspace_path}"))
        .await;
    env.submit_sign_in("ivan@initech.test", DEMO_PASSWORD).await;
    env.until_path(&workspace_path).await;
    let heading = env
        .driver
        .query(By::Tag("h1"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_ne!(heading, "Page not found");
    let id = workspace_path.trim_start_matches("/workspace/");
    assert_eq!(
        env.api_status(&format!("/api/workspaces/{id}")).await,
        200,
        "ivan has the workspace the link opened"
    );

    env.finish().await;
}
