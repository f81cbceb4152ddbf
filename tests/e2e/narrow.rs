//! At 375 px wide (a small phone): nothing is laid out for a wider window.

use std::time::Duration;

use thirtyfour::prelude::*;

use crate::a11y::viewport;
use crate::harness::Env;

#[tokio::test(flavor = "multi_thread")]
async fn at_375_px_the_top_bar_has_no_empty_row_and_no_separator_ends_a_line() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    viewport(&env, 375).await;

    // Signed out, with the server answering, the bar has nothing for a second row.
    env.open("/signin").await;
    env.driver
        .query(By::Css("[data-testid=server-status]:not([aria-busy])"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    let bar = env.driver.find(By::Css("header")).await.unwrap();
    let height = bar.rect().await.unwrap().height;
    assert!(height <= 49.0, "the top bar is {height} px tall");

    // Signed in, the account gets its row.
    env.sign_in("wanda@acme.test").await;
    let height = bar_height(&env).await;
    assert!(height > 80.0, "the top bar is {height} px tall");

    // "Published by Acme Payments · Your role: …" wraps: no "·" is left at a line's end.
    env.open(&format!("/workspace/{payments}/settings")).await;
    let role = env
        .find_text("span[@data-testid='your-role']", "Your role")
        .await;
    let meta = role.parent().await.unwrap();
    for separator in meta
        .find_all(By::XPath("./span[normalize-space(.)='·']"))
        .await
        .unwrap()
    {
        assert!(
            !separator.is_displayed().await.unwrap(),
            "a separator shows at 375 px"
        );
    }
    viewport(&env, 1280).await;
    let separator = meta
        .find(By::XPath("./span[normalize-space(.)='·']"))
        .await
        .unwrap();
    assert!(
        separator.is_displayed().await.unwrap(),
        "on one line the separator shows"
    );

    env.finish().await;
}

/// The top bar's height once the account is in it.
async fn bar_height(env: &Env) -> f64 {
    env.driver
        .query(By::Css("header [data-testid=account]"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap();
    let bar = env.driver.find(By::Css("header")).await.unwrap();
    bar.rect().await.unwrap().height
}
