use std::time::Duration;

use thirtyfour::prelude::*;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_renders_its_page_without_server_details_and_tabs_live_in_the_url() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;

    env.open("/settings/team/partnerships/external-partners")
        .await;
    env.find_text("h1", "Partnerships").await;
    // The server answers: the top bar says nothing about it (no version, no schema).
    let status = env
        .driver
        .query(By::Css("[data-testid=server-status]:not([aria-busy])"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .expect("the server check answered");
    assert_eq!(status.text().await.unwrap(), "");
    let bar = env.driver.find(By::Css("header")).await.unwrap();
    let bar = bar.text().await.unwrap();
    assert!(!bar.contains("schema") && !bar.contains("Server"), "{bar}");

    env.click_text("nav[@aria-label='Main']//a", "Workspaces")
        .await;
    env.until_path("/workspaces").await;
    env.find_text("a[@role='tab']", "External Workspaces")
        .await
        .click()
        .await
        .unwrap();
    env.until_path("/workspaces?tab=shared_partner").await;
    let selected = env
        .find_text("a[@role='tab'][@aria-selected='true']", "External")
        .await;
    assert_eq!(selected.text().await.unwrap(), "External Workspaces");

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_paths_show_a_helpful_page_not_a_blank_one() {
    let env = Env::start().await;

    env.open("/no/such/page").await;

    env.find_text("h1", "Page not found").await;
    env.find_text("a", "Go to your workspaces").await;
    env.finish().await;
}
