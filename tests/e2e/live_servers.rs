//! Live updates across servers: several people's browsers, each pinned to one server (in
//! cluster mode two servers on PostgreSQL, nginx in front of them for the third browser), and
//! what one of them does shows on the others' open pages. On SQLite every browser is on the
//! one server.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::harness::{Env, partner_id};

/// Waits until `script` (a JavaScript expression) is true in the browser, checking every
/// 20 ms; how long that took.
async fn until_true(env: &Env, script: &str, what: &str) -> Duration {
    let started = Instant::now();
    loop {
        let done = env
            .driver
            .execute(&format!("return Boolean({script});"), Vec::new())
            .await
            .unwrap()
            .json()
            .as_bool()
            .unwrap_or(false);
        if done {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The page's main text contains `text` (as JavaScript).
fn shows(text: &str) -> String {
    format!(
        "document.querySelector('main') && document.querySelector('main').innerText.includes({})",
        serde_json::to_string(text).unwrap()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn what_one_person_does_on_one_server_shows_on_pages_open_on_the_other() {
    let env = Env::start().await;
    let a = env.another_browser(env.server_url(0)).await;
    let b = env
        .another_browser(env.server_url(env.server_count() - 1))
        .await;
    let payments = env.acme_workspace_id("Payments API").await;

    // Ivan (server B) has Payments API open: multi-partner mode is off, so he sees Globex's
    // partners too.
    b.sign_in("ivan@initech.test").await;
    b.open(&format!("/workspace/{payments}")).await;
    b.find_text("h1", "Payments API").await;
    until_true(&b, &shows("Gina Gray"), "Gina among Ivan's partners").await;

    // Alice (through the balancer) has Partnerships open with Gary's request.
    env.sign_in("alice@acme.test").await;
    env.open("/settings/team/partnerships/external-partners")
        .await;
    let request = "//li[contains(@class,'request')][contains(., 'Gary Green')]";
    env.driver.query(By::XPath(request)).first().await.unwrap();

    // Wanda (server A) turns on multi-partner mode in Payments API.
    a.sign_in("wanda@acme.test").await;
    a.open(&format!("/workspace/{payments}/settings")).await;
    a.find_text("h2", "Partner access").await;
    a.until_switch("false").await;
    // Every stream is open before the change.
    for browser in [&a, &b, &env] {
        browser.until_live().await;
    }
    a.click(By::Css("[role=switch]")).await;
    a.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    a.button("Turn on").await.click().await.unwrap();
    a.until_switch("true").await;
    // From her answer (the change committed) to Ivan's page without Globex's people.
    let took = until_true(
        &b,
        &format!("!({})", shows("Gina Gray")),
        "Ivan's page to follow",
    )
    .await;
    println!("live: Ivan's page followed Wanda's change in {took:?}");
    assert!(
        took < Duration::from_secs(1),
        "Ivan's open page reflects multi-partner mode within 1 s (took {took:?})"
    );
    assert!(!b.main_text().await.contains("Gary Green"));

    // Paul (server A) approves Gary's request; Alice's open Partnerships page drops it.
    a.sign_in_as("paul@acme.test").await;
    a.open("/settings/team/partnerships/external-partners")
        .await;
    a.driver.query(By::XPath(request)).first().await.unwrap();
    a.click(By::XPath(format!(
        "{request}//button[normalize-space(.)='Approve']"
    )))
    .await;
    a.find_text("*[@role='status']", "Gary Green can now open Fraud Signals")
        .await;
    let started = Instant::now();
    env.until_none(By::XPath(request)).await;
    println!(
        "live: Alice's Partnerships dropped the request {:?} after Paul's answer",
        started.elapsed()
    );
    env.find_text("p", "No pending requests").await;

    // Uma (server B) has Fraud Signals open, and a stream of her own records every event
    // her session is sent. Ivan (Initech) is removed there: nothing reaches her. Then her
    // own access is extended: that does (so her stream works).
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    b.sign_in_as("uma@umbrella.test").await;
    b.open(&format!("/workspace/{fraud}")).await;
    b.find_text("h1", "Fraud Signals").await;
    b.driver
        .execute(
            "window.seen = []; const s = new EventSource('/api/events'); \
             s.onmessage = e => window.seen.push(JSON.parse(e.data)); \
             s.onopen = () => window.seenOpen = true;",
            Vec::new(),
        )
        .await
        .unwrap();
    until_true(
        &b,
        "window.seenOpen === true",
        "the recorder's stream to open",
    )
    .await;
    let alice = env.api_client("alice@acme.test").await;
    let ivan = partner_id(&alice, &env.server_url(0), &fraud, "Ivan Ito").await;
    let uma = partner_id(&alice, &env.server_url(0), &fraud, "Uma Ueda").await;
    let removed = alice
        .delete(format!(
            "{}/api/workspaces/{fraud}/partners/{ivan}",
            env.server_url(0)
        ))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .send()
        .await
        .unwrap();
    assert!(removed.status().is_success(), "{}", removed.status());
    let extended = alice
        .post(format!(
            "{}/api/workspaces/{fraud}/partners/{uma}/extend",
            env.server_url(0)
        ))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(extended.status().is_success(), "{}", extended.status());
    // Events come in the order of the changes: had Ivan's removal reached her, it would
    // stand before her own.
    until_true(&b, "window.seen.length > 0", "Uma's own change").await;
    let seen = b
        .driver
        .execute("return window.seen;", Vec::new())
        .await
        .unwrap()
        .json()
        .clone();
    assert_eq!(
        seen,
        serde_json::json!([{
            "kind": "workspace_changed",
            "workspace": fraud,
            "change": { "what": "partners" }
        }]),
        "Uma hears of her own team's change only, never of Initech's"
    );
    // Her page still shows Fraud Signals, without Ivan (whom she never saw).
    assert!(!b.main_text().await.contains("Ivan Ito"));

    a.finish().await;
    b.finish().await;
    env.finish().await;
}
