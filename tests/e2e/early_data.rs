//! Early data (issue 18): index.html's inline script asks for the session and the first
//! page's first read at navigation start; the app adopts those answers instead of asking
//! again, and never once it has moved on from the page it was loaded on.

use serde_json::Value;

use crate::harness::{DEMO_PASSWORD, Env};

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// The page's requests to `path` (Resource Timing, which also lists fetches made before the
/// wasm ran): how many, and when the first left and the wasm arrived, in ms since navigation.
async fn asked(env: &Env, path: &str) -> (u64, f64, f64) {
    let answer = env
        .driver
        .execute(
            "const path = arguments[0];
             const all = performance.getEntriesByType('resource');
             const asked = all.filter((r) => new URL(r.name).pathname === path);
             const wasm = all.find((r) => r.name.endsWith('.wasm'));
             return [asked.length, asked.length ? asked[0].startTime : -1,
                     wasm ? wasm.responseEnd : -1];",
            vec![Value::from(path)],
        )
        .await
        .unwrap()
        .json()
        .clone();
    let number = |i: usize| answer[i].as_f64().unwrap_or_else(|| panic!("{answer}"));
    (number(0) as u64, number(1), number(2))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_page_shows_the_answers_asked_for_before_the_wasm_arrived() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;

    // A full load of Partnerships: its list and the session leave before the wasm has
    // arrived, and the app asks for neither again.
    env.open(PARTNERSHIPS).await;
    env.find_text("a", "Globex").await;
    let (lists, list_left, wasm_arrived) = asked(&env, "/api/partnerships").await;
    assert_eq!(lists, 1, "the list was asked for again");
    assert!(
        list_left < wasm_arrived,
        "the list left at {list_left} ms, after the wasm arrived at {wasm_arrived} ms"
    );
    assert_eq!(
        asked(&env, "/api/me").await.0,
        1,
        "the session was asked for again"
    );
    assert_eq!(asked(&env, "/api/session").await.0, 1);

    // Going elsewhere in the app and back asks anew: an early answer is used once.
    env.click_text("nav[@aria-label='Main']//a", "Workspaces")
        .await;
    env.until_path("/workspaces").await;
    env.find_text("a", "Payments API").await;
    env.driver.back().await.unwrap();
    env.until_path(PARTNERSHIPS).await;
    env.find_text("a", "Globex").await;
    assert_eq!(asked(&env, "/api/partnerships").await.0, 2);

    // A partner's External Workspaces and a workspace opened from an email link.
    env.sign_in_as("ivan@initech.test").await;
    env.open("/workspaces?tab=shared_partner").await;
    env.find_text("a", "Payments API").await;
    assert_eq!(asked(&env, "/api/workspaces").await.0, 1);
    let payments = env.acme_workspace_id("Payments API").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h1", "Payments API").await;
    let (reads, read_left, wasm_arrived) =
        asked(&env, &format!("/api/workspaces/{payments}")).await;
    assert_eq!(reads, 1, "the workspace was asked for again");
    assert!(
        read_left < wasm_arrived,
        "{read_left} ms vs {wasm_arrived} ms"
    );

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_from_before_sign_in_is_never_shown_after_it() {
    let env = Env::start().await;

    // Signed out, the early list is a 401. After signing in, the same page asks again
    // and shows the list (the stale 401 is not adopted).
    env.open(PARTNERSHIPS).await;
    env.until_path(&format!("/signin?next={PARTNERSHIPS}"))
        .await;
    env.submit_sign_in("paul@acme.test", DEMO_PASSWORD).await;
    env.until_path(PARTNERSHIPS).await;
    env.find_text("a", "Globex").await;
    env.find_text("a", "Initech").await;
    assert_eq!(asked(&env, "/api/partnerships").await.0, 2);

    env.finish().await;
}
