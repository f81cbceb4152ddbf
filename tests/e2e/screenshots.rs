//! Screenshots of every page at 375 and 1280 px, light and dark, for a person to look at
//! (`SCREENSHOTS=folder cargo test … --test e2e -- --ignored screenshots`); never run by
//! scripts/test.sh.

use std::path::PathBuf;

use thirtyfour::prelude::*;

use crate::a11y::{WIDTHS, color_scheme, viewport};
use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// Saves the page as a person scrolls through it, screen by screen, at every width and
/// scheme, as `{name}-{width}-{scheme}-{screen}.png`.
pub(crate) async fn shoot(env: &Env, dir: &std::path::Path, name: &str) {
    for width in WIDTHS {
        viewport(env, width).await;
        let height = env
            .driver
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .json()
            .as_u64()
            .unwrap();
        for (screen, top) in (0..height).step_by(700).enumerate() {
            env.driver
                .execute(&format!("window.scrollTo(0, {top});"), vec![])
                .await
                .unwrap();
            for scheme in ["light", "dark"] {
                color_scheme(env, scheme).await;
                env.driver
                    .screenshot(&dir.join(format!("{name}-{width}-{scheme}-{screen}.png")))
                    .await
                    .unwrap();
            }
            color_scheme(env, "light").await;
        }
        env.driver
            .execute("window.scrollTo(0, 0);", vec![])
            .await
            .unwrap();
    }
    viewport(env, WIDTHS[0]).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn screenshots() {
    let dir = PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let payments = env.acme_workspace_id("Payments API").await;

    env.open("/signin").await;
    env.field("Email").await;
    shoot(&env, &dir, "signin").await;

    env.sign_in("ivan@initech.test").await;
    env.open("/workspaces?tab=shared_partner").await;
    env.find_text("th", "3 workspaces").await;
    shoot(&env, &dir, "workspaces-external").await;

    env.sign_in_as("wanda@acme.test").await;
    env.open("/workspaces").await;
    env.find_text("a", "Payments API").await;
    shoot(&env, &dir, "workspaces-all").await;
    env.open("/workspaces?tab=mine").await;
    env.find_text("a", "Payments API").await;
    shoot(&env, &dir, "workspaces-mine").await;

    env.open(&format!("/workspace/{fraud}")).await;
    env.find_text("li", "Uma").await;
    shoot(&env, &dir, "workspace").await;

    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    shoot(&env, &dir, "workspace-settings").await;

    env.open_account_menu().await;
    shoot(&env, &dir, "account-menu").await;
    env.button("Change password").await.click().await.unwrap();
    env.find_text("dialog[@open]//h2", "Change your password")
        .await;
    shoot(&env, &dir, "change-password").await;

    env.sign_in_as("paul@acme.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("a", "Initech").await;
    shoot(&env, &dir, "partnerships").await;
    env.find_text("a", "Initech").await.click().await.unwrap();
    env.find_text("dialog[@open]//li", "Ivan").await;
    shoot(&env, &dir, "partnerships-drawer").await;

    env.sign_in_as("gina@globex.test").await;
    env.open(&format!("/workspace/{fraud}")).await;
    env.driver
        .query(By::Css("textarea#access-message"))
        .first()
        .await
        .unwrap();
    shoot(&env, &dir, "workspace-no-access").await;

    // A migration writes emails for the mailbox to show.
    let migrated = env
        .api_client("alice@acme.test")
        .await
        .post(format!("{}/api/migration", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&serde_json::json!({ "dry_run": false }))
        .send()
        .await
        .unwrap();
    assert!(migrated.status().is_success());
    env.open("/dev/mailbox").await;
    env.find_text("a", "has been upgraded").await;
    shoot(&env, &dir, "mailbox").await;

    env.finish().await;
}
