//! The account menu: Change password ends the person's other sessions, keeps this one.

use thirtyfour::prelude::*;

use crate::harness::{DEMO_PASSWORD, Env};

const NEW_PASSWORD: &str = "gary's new passphrase";

/// The dialog's submit button (the menu has an item with the same label).
const SUBMIT: &str = "//dialog[@open]//button[@type='submit']";

#[tokio::test(flavor = "multi_thread")]
async fn changing_the_password_keeps_this_browser_signed_in_and_signs_out_every_other() {
    let env = Env::start().await;
    // Gary is signed in elsewhere too (another browser, an API client).
    let elsewhere = env.api_client("gary@globex.test").await;
    env.sign_in("gary@globex.test").await;

    env.open_account_menu().await;
    env.button("Change password").await.click().await.unwrap();
    env.find_text("dialog[@open]//h2", "Change your password")
        .await;
    env.field("Current password")
        .await
        .send_keys("not-my-password")
        .await
        .unwrap();
    env.field("New password")
        .await
        .send_keys(NEW_PASSWORD)
        .await
        .unwrap();
    env.field("New password again")
        .await
        .send_keys(NEW_PASSWORD)
        .await
        .unwrap();
    env.click(By::XPath(SUBMIT)).await;

    // The server refuses a wrong current password; the field says so and has focus.
    env.find_text("dialog[@open]//p", "That isn't your current password.")
        .await;
    let current = env.field("Current password").await;
    assert_eq!(
        current.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(env.driver.active_element().await.unwrap(), current);
    current.clear().await.unwrap();
    current.send_keys(DEMO_PASSWORD).await.unwrap();
    env.click(By::XPath(SUBMIT)).await;

    env.find_text(
        "*[@role='status']",
        "Password changed. You were signed out everywhere else.",
    )
    .await;
    env.until_none(By::Css("dialog[open]")).await;
    // Focus is back on the account menu's button.
    let focused = env.driver.active_element().await.unwrap();
    assert_eq!(
        focused.attr("aria-controls").await.unwrap().as_deref(),
        Some("account-menu")
    );
    // This browser is still signed in; the other session has ended.
    assert_eq!(env.api_status("/api/me").await, 200);
    let other = elsewhere
        .get(format!("{}/api/me", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 401);
    // From now on only the new password signs in.
    env.driver.delete_all_cookies().await.unwrap();
    env.open("/signin").await;
    env.submit_sign_in("gary@globex.test", DEMO_PASSWORD).await;
    env.find_text("*[@role='alert']", "don't match").await;
    env.open("/signin").await;
    env.submit_sign_in("gary@globex.test", NEW_PASSWORD).await;
    env.until_path("/workspaces").await;

    env.finish().await;
}
