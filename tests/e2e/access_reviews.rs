//! Access reviews: paul (Partner Manager, the demo review's reviewer) completes the Globex
//! review with the keyboard alone and the server agrees; alice (Team Admin) starts a review
//! of one workspace with paul as its reviewer; axe audits of the list and the review page at
//! 1280 and 375 px, light and dark.

use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::Env;
use crate::keyboard::{focused, focused_is, press, tab_to, until_focused};

const ACCESS_REVIEWS: &str = "/settings/team/access-reviews";

/// A Keep or Remove button of the grant row at `row` (0-based) of the review's table.
fn decision_button(word: &str, row: usize) -> String {
    format!(
        "(el) => el.tagName === 'BUTTON' && el.textContent.trim() === '{word}'
                 && [...document.querySelectorAll('[data-testid=review-grant]')]
                        .indexOf(el.closest('[data-testid=review-grant]')) === {row}"
    )
}

/// `GET path` in the page's own session (its cookies), as JSON.
async fn get_in_browser(env: &Env, path: &str) -> (u64, Value) {
    let answer = env
        .driver
        .execute_async(
            "const [href, done] = arguments;
             fetch(href, { credentials: 'same-origin', headers: { accept: 'application/json' } })
               .then(r => r.json().then(body => done({ status: r.status, body })))
               .catch(e => done({ status: 0, body: String(e) }));",
            vec![Value::String(path.to_owned())],
        )
        .await
        .unwrap()
        .json()
        .clone();
    (answer["status"].as_u64().unwrap(), answer["body"].clone())
}

/// Waits until the review's figure reads `text`.
async fn until_decided(env: &Env, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // Not there yet while the page loads.
        let figure = match env
            .driver
            .find(By::Css("[data-testid=review-decided]"))
            .await
        {
            Ok(figure) => figure.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if figure == text {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "progress reads {figure:?}, not {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn paul_completes_the_globex_review_with_the_keyboard_alone() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open("/settings/team/general").await;
    env.find_text("h1", "General").await;

    // Team Settings > Access reviews, then the Globex review: Tab and Enter only.
    tab_to(
        &env,
        "(el) => el.tagName === 'A' && el.textContent.trim() === 'Access reviews'",
        "the Access reviews link",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_path(ACCESS_REVIEWS).await;
    env.find_text("tr[@data-testid='review']", "Globex").await;
    let mut found = audit(&env, "access reviews, paul").await;
    tab_to(
        &env,
        "(el) => el.tagName === 'A' && el.textContent.trim() === 'Globex'",
        "the Globex review's link",
    )
    .await;
    press(&env, Key::Enter).await;
    env.find_text("h1", "Access review: Globex").await;
    let path = env.path().await;
    let id = path
        .strip_prefix(&format!("{ACCESS_REVIEWS}/"))
        .unwrap_or_else(|| panic!("opened {path}"))
        .to_owned();
    until_decided(&env, "0 of 2 decided").await;
    let rows = env
        .driver
        .find_all(By::Css("[data-testid=review-grant]"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2, "the demo review has two grants");
    found.extend(audit(&env, "the Globex review, undecided").await);

    // Keep the first grant with Enter: focus stays on the pressed button.
    tab_to(&env, &decision_button("Keep", 0), "Keep on the first grant").await;
    press(&env, Key::Enter).await;
    until_focused(
        &env,
        &format!(
            "(el) => ({})(el) && el.getAttribute('aria-pressed') === 'true'",
            decision_button("Keep", 0)
        ),
        "the first grant's Keep, pressed",
    )
    .await;
    until_decided(&env, "1 of 2 decided").await;
    env.find_text("*[@role='status']", "1 of 2 decided").await;

    // Remove the second with Space.
    tab_to(
        &env,
        &decision_button("Remove", 1),
        "Remove on the second grant",
    )
    .await;
    press(&env, Key::Space).await;
    until_focused(
        &env,
        &format!(
            "(el) => ({})(el) && el.getAttribute('aria-pressed') === 'true'",
            decision_button("Remove", 1)
        ),
        "the second grant's Remove, pressed",
    )
    .await;
    until_decided(&env, "2 of 2 decided").await;
    env.find_text("*[@role='status']", "2 of 2 decided").await;
    assert!(
        focused_is(&env, "(el) => el.tagName === 'BUTTON'").await,
        "focus left the decision: {}",
        focused(&env).await
    );
    found.extend(audit(&env, "the Globex review, decided").await);

    // The server agrees, in paul's own session.
    let (status, body) = get_in_browser(&env, &format!("/api/reviews/{id}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["review"]["decided"], 2, "{body}");
    assert_eq!(body["review"]["kept"], 1, "{body}");
    assert_eq!(body["review"]["removed"], 1, "{body}");
    let items = body["items"]["items"].as_array().unwrap();
    let decisions: Vec<&str> = items
        .iter()
        .map(|item| item["decision"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(decisions, ["keep", "remove"], "{body}");

    // Reloaded, the page shows the same decisions pressed; "Only undecided" has none left.
    env.driver.refresh().await.unwrap();
    until_decided(&env, "2 of 2 decided").await;
    let pressed = env
        .driver
        .find_all(By::Css(
            "[data-testid=review-grant] button[aria-pressed=true]",
        ))
        .await
        .unwrap();
    assert_eq!(pressed.len(), 2);
    assert_eq!(pressed[0].text().await.unwrap(), "Keep");
    assert_eq!(pressed[1].text().await.unwrap(), "Remove");
    env.click_text("label", "Only undecided").await;
    env.until_path(&format!("{ACCESS_REVIEWS}/{id}?undecided=true"))
        .await;
    env.find_text("p", "Every grant of this review has a decision.")
        .await;
    found.extend(audit(&env, "the Globex review, nothing undecided").await);

    // Someone who is not a reviewer sees no review, and is told so kindly.
    env.sign_in_as("mike@acme.test").await;
    env.open(ACCESS_REVIEWS).await;
    env.find_text("h3", "You have no access reviews to do")
        .await;
    found.extend(audit(&env, "access reviews, nothing to do").await);
    env.open(&format!("{ACCESS_REVIEWS}/{id}")).await;
    env.find_text("h1", "Review not found").await;
    found.extend(audit(&env, "a review that isn't theirs").await);
    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_starts_a_review_of_one_workspace_with_paul_as_reviewer() {
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    env.open(ACCESS_REVIEWS).await;
    env.find_text("tr[@data-testid='review']", "Globex").await;
    env.click_text("button", "Start a review").await;
    env.find_text("h2", "Start a review").await;
    let mut found = Vec::new();

    // Nothing picked: each field says what it needs.
    env.click_text("label", "One workspace").await;
    env.click_text("button", "Start review").await;
    env.find_text("p", "Pick the workspace to review.").await;
    env.find_text("p", "Pick at least one reviewer.").await;
    found.extend(audit(&env, "start a review, with errors").await);

    SelectElement::new(&env.driver.find(By::Id("review-workspace")).await.unwrap())
        .await
        .unwrap()
        .select_by_visible_text("Payments API")
        .await
        .unwrap();
    env.click_text("label", "Paul").await;
    let due = env
        .driver
        .find(By::Id("review-due"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(due.len(), 10, "the due date has a default: {due:?}");
    env.click_text("label", "Remove the access").await;
    env.click_text("button", "Start review").await;
    env.find_text("*[@role='status']", "Review of Payments API started")
        .await;
    env.find_text("tr[@data-testid='review']", "Payments API")
        .await;
    let row = env
        .find_text("tr[@data-testid='review']", "Payments API")
        .await
        .text()
        .await
        .unwrap();
    assert!(row.contains("Paul"), "{row}");
    assert!(row.contains("Open"), "{row}");
    found.extend(audit(&env, "access reviews, alice").await);

    // The new review is paul's to do.
    env.sign_in_as("paul@acme.test").await;
    env.open(ACCESS_REVIEWS).await;
    env.click_text("a", "Payments API").await;
    env.find_text("h1", "Access review: Payments API").await;
    env.find_text("dd", "Removed").await;
    assert_none(&found);
    env.finish().await;
}

/// Screenshots of the access reviews pages, for a person to look at
/// (`SCREENSHOTS=folder cargo test … -- --ignored access_review_screenshots`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn access_review_screenshots() {
    use crate::screenshots::shoot;
    let dir = std::path::PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    env.open(ACCESS_REVIEWS).await;
    env.find_text("tr[@data-testid='review']", "Globex").await;
    shoot(&env, &dir, "access-reviews").await;
    env.click_text("button", "Start a review").await;
    env.click_text("label", "One partner team").await;
    env.click_text("button", "Start review").await;
    env.find_text("p", "Pick at least one reviewer.").await;
    shoot(&env, &dir, "access-reviews-start").await;
    env.click_text("a", "Globex").await;
    env.find_text("h1", "Access review: Globex").await;
    env.find_text("tr[@data-testid='review-grant']", "Globex")
        .await;
    env.click(By::Css("[data-testid=review-grant] button.keep".to_owned()))
        .await;
    env.find_text("*[@role='status']", "1 of 2 decided").await;
    env.driver
        .find(By::Css(
            "[data-testid=review-grant] input[type=checkbox]".to_owned(),
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shoot(&env, &dir, "access-review").await;
    env.sign_in_as("mike@acme.test").await;
    env.open(ACCESS_REVIEWS).await;
    env.find_text("h3", "You have no access reviews to do")
        .await;
    shoot(&env, &dir, "access-reviews-empty").await;
    env.finish().await;
}
