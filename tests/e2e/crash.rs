//! A panic in the app shows "Something went wrong" with a Reload link, not a frozen page.
//! The release build has no way to make it panic on purpose; the test makes the browser
//! refuse a history entry (as it refuses a URL on another origin), which leptos_router
//! does not expect and panics on.

use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_shows_something_went_wrong_and_reload_brings_the_app_back() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open(&format!("{PARTNERSHIPS}?q=glo#access-requests"))
        .await;
    env.find_text("a", "Globex").await;

    env.driver
        .execute(
            "history.pushState = () => {
                 throw new DOMException('refused by the test', 'SecurityError');
             };",
            vec![],
        )
        .await
        .unwrap();
    env.click_text("nav[@aria-label='Main']//a", "Workspaces")
        .await;

    env.find_text("h1", "Something went wrong").await;
    // Only this page is left: nothing of the app that stopped working.
    env.assert_none(By::Css("header, [data-testid=account], nav"))
        .await;
    let reload = env.find_text("a", "Reload").await;
    // The page it was on, without the fragment (a link to it would only scroll).
    assert_eq!(
        reload.attr("href").await.unwrap(),
        Some(format!("{}{PARTNERSHIPS}?q=glo", env.base))
    );
    let focused = env.driver.active_element().await.unwrap();
    assert_eq!(focused.text().await.unwrap(), "Reload");
    let title = env.driver.title().await.unwrap();
    assert!(title.starts_with("Something went wrong"), "{title}");
    assert_none(&audit(&env, "something went wrong").await);

    // Reload is a real link: it works without the app, and the app is back.
    reload.click().await.unwrap();
    env.find_text("a", "Globex").await;
    env.until_path(&format!("{PARTNERSHIPS}?q=glo")).await;
    env.click_text("nav[@aria-label='Main']//a", "Workspaces")
        .await;
    env.until_path("/workspaces").await;
    env.find_text("h1", "Workspaces").await;
    env.assert_none(By::XPath("//h1[normalize-space(.)='Something went wrong']"))
        .await;

    env.finish().await;
}
