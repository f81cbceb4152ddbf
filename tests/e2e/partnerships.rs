use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// The partner team names in the table, in order.
async fn teams(env: &Env) -> Vec<String> {
    let links = env
        .driver
        .find_all(By::Css("table tbody a.team-name"))
        .await
        .unwrap_or_default();
    let mut names = Vec::new();
    for link in links {
        if let Ok(name) = link.text().await {
            names.push(name);
        }
    }
    names
}

/// Waits until the table lists exactly `expected`.
async fn until_teams(env: &Env, expected: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = teams(env).await;
        if shown == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the table shows {shown:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until a partner team's detail is open (ids are random: any `?team=`), and gives
/// the URL.
async fn until_team_open(env: &Env) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let path = env.path().await;
        if path.starts_with(&format!("{PARTNERSHIPS}?team=")) {
            return path;
        }
        assert!(Instant::now() < deadline, "URL stayed at {path}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the table row of `team`.
async fn row(env: &Env, team: &str) -> String {
    env.find_text("table//tbody/tr", team)
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn partner_teams_show_their_sso_and_search_filter_and_reload_keep_the_view() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open(PARTNERSHIPS).await;

    until_teams(&env, &["Globex", "Initech", "Umbrella"]).await;
    let globex = row(&env, "Globex").await;
    assert!(
        globex.contains("SSO enforced") && !globex.contains("not enforced"),
        "{globex}"
    );
    for team in ["Initech", "Umbrella"] {
        let text = row(&env, team).await;
        assert!(text.contains("SSO not enforced"), "{text}");
    }
    env.find_text("*[@aria-label='SSO coverage']", "1 of 3")
        .await;
    env.find_text("section", "Partner Viewers are free").await;

    // A search runs once typing pauses, and lands in the URL.
    env.field("Search partner teams")
        .await
        .send_keys("glo")
        .await
        .unwrap();
    env.until_path(&format!("{PARTNERSHIPS}?q=glo")).await;
    until_teams(&env, &["Globex"]).await;

    // Clearing the search and filtering by SSO.
    env.click(By::Css("button[aria-label='Clear search']"))
        .await;
    env.until_path(PARTNERSHIPS).await;
    until_teams(&env, &["Globex", "Initech", "Umbrella"]).await;
    env.find_text("select[@id='sso-filter']/option", "SSO not enforced")
        .await
        .click()
        .await
        .unwrap();
    env.until_path(&format!("{PARTNERSHIPS}?sso=not_enforced"))
        .await;
    until_teams(&env, &["Initech", "Umbrella"]).await;

    // Sorting is part of the view too.
    env.button("Partner team↑").await.click().await.unwrap();
    let sorted = format!("{PARTNERSHIPS}?sso=not_enforced&sort=-name");
    env.until_path(&sorted).await;
    until_teams(&env, &["Umbrella", "Initech"]).await;

    // A reload (or a copied link) shows the same view.
    env.driver.refresh().await.unwrap();
    until_teams(&env, &["Umbrella", "Initech"]).await;
    assert_eq!(env.path().await, sorted);
    let filter = env.driver.find(By::Id("sso-filter")).await.unwrap();
    assert_eq!(
        filter.value().await.unwrap().as_deref(),
        Some("not_enforced")
    );
    env.driver
        .find(By::Css("th[aria-sort='descending']"))
        .await
        .unwrap();

    // Back retraces the filter steps.
    env.driver.back().await.unwrap();
    env.until_path(&format!("{PARTNERSHIPS}?sso=not_enforced"))
        .await;
    until_teams(&env, &["Initech", "Umbrella"]).await;

    // Nothing matches: say so, and offer to clear.
    env.field("Search partner teams")
        .await
        .send_keys("nonsense")
        .await
        .unwrap();
    env.find_text("h3", "No results for 'nonsense'").await;
    env.button("Clear search and filter")
        .await
        .click()
        .await
        .unwrap();
    env.until_path(PARTNERSHIPS).await;
    until_teams(&env, &["Globex", "Initech", "Umbrella"]).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn approving_garys_request_gives_him_fraud_signals_under_globex() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open(PARTNERSHIPS).await;

    let request = "//li[contains(@class,'request')][contains(., 'Gary Green')]";
    let gary = env.find_text("li", "Gary Green").await;
    let text = gary.text().await.unwrap();
    assert!(text.contains("Fraud Signals"), "{text}");
    env.find_text("div[contains(@class,'head')]", "Access requests")
        .await;

    env.click(By::XPath(format!(
        "{request}//button[normalize-space(.)='Approve']"
    )))
    .await;

    env.until_none(By::XPath(request)).await;
    env.find_text("*[@role='status']", "Gary Green can now open Fraud Signals")
        .await;
    env.find_text("p", "No pending requests").await;

    // Gary is now one of Globex's partners in Fraud Signals.
    env.click_text("a", "Globex").await;
    let opened = until_team_open(&env).await;
    // His row, not just his name: the approval's toast, which names him, sits in the open
    // drawer too (toasts follow the topmost modal dialog) before the team has loaded.
    let gary = env
        .find_text("dialog[@open]//li[contains(@class,'person')]", "Gary Green")
        .await;
    env.driver
        .find(By::XPath(
            "//dialog[@open]//h2[normalize-space(.)='Globex']",
        ))
        .await
        .unwrap();
    let text = gary.text().await.unwrap();
    assert!(text.contains("Fraud Signals"), "{text}");
    assert!(text.contains("Payments API"), "{text}");

    // The drawer has its own URL: a reload opens it again.
    env.driver.refresh().await.unwrap();
    env.find_text("dialog[@open]", "Gary Green").await;
    assert_eq!(env.path().await, opened);

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_a_partner_and_a_partnership_asks_first_and_updates_the_list() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("a", "Initech").await.click().await.unwrap();
    until_team_open(&env).await;

    let ivan = "dialog[@open]//li[contains(@class,'person')][contains(., 'Ivan')]";
    env.find_text("dialog[@open]//li[contains(@class,'person')]", "Ivan")
        .await;
    env.click(By::XPath(format!(
        "//{ivan}//li[contains(., 'Payments API')]//button"
    )))
    .await;
    let confirm = env
        .find_text(
            "dialog[@open]//dialog[@open]",
            "loses access to Payments API",
        )
        .await;
    let title = confirm
        .find(By::Tag("h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        title.starts_with("Remove Ivan") && title.ends_with("from Payments API?"),
        "{title}"
    );
    env.button("Remove from Payments API")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("*[@role='status']", "no longer has access to Payments API")
        .await;
    env.until_none(By::XPath(format!(
        "//{ivan}//li[contains(., 'Payments API')]"
    )))
    .await;
    env.find_text(&format!("{ivan}//li"), "Fraud Signals").await;

    // Close the drawer, then end the Umbrella partnership from its own.
    env.click(By::Css("dialog[open] button[aria-label='Close']"))
        .await;
    env.until_path(PARTNERSHIPS).await;
    env.find_text("a", "Umbrella").await.click().await.unwrap();
    env.button("Remove partnership…")
        .await
        .click()
        .await
        .unwrap();
    env.find_text(
        "dialog[@open]//dialog[@open]",
        "1 partner from Umbrella loses access to 1 workspace: Fraud Signals",
    )
    .await;
    env.button("Remove partnership")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("*[@role='status']", "Umbrella is no longer a partner")
        .await;
    env.until_path(PARTNERSHIPS).await;
    until_teams(&env, &["Globex", "Initech"]).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn people_who_may_not_see_partnerships_are_told_so() {
    let env = Env::start().await;

    for account in ["mike@acme.test", "gina@globex.test"] {
        env.sign_in(account).await;
        env.open(PARTNERSHIPS).await;
        env.find_text(
            "h2",
            "Only Team Admins and Partner Managers can see Partnerships",
        )
        .await;
        env.find_text("p", account).await;
        env.assert_none(By::Css("table")).await;
        assert_eq!(env.api_status("/api/partnerships").await, 403);
        env.driver.delete_all_cookies().await.unwrap();
    }

    env.finish().await;
}

/// The access-request digest email links to `#access-requests`. Signed out, the link goes
/// through sign-in and still lands on the requests, scrolled into view once the page has
/// drawn them (the browser looked for the section before the app drew it).
#[tokio::test(flavor = "multi_thread")]
async fn the_digest_link_lands_on_the_access_requests_after_sign_in() {
    let env = Env::start().await;
    env.open(&format!("{PARTNERSHIPS}#access-requests")).await;
    env.find_text("h1", "Sign in to Partner Workspaces").await;
    env.submit_sign_in("paul@acme.test", crate::harness::DEMO_PASSWORD)
        .await;
    env.until_path(PARTNERSHIPS).await;
    let url = env.driver.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("access-requests"), "{url}");
    env.find_text("li", "Gary Green").await;

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let place = env
            .driver
            .execute(
                "const r = document.getElementById('access-requests').getBoundingClientRect(); \
                 return [r.top, window.innerHeight, window.scrollY];",
                vec![],
            )
            .await
            .unwrap()
            .convert::<(f64, f64, f64)>()
            .unwrap();
        let (top, height, scrolled) = place;
        if scrolled > 0.0 && (-2.0..height / 2.0).contains(&top) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the access requests are not in view: top {top} of {height}, scrolled {scrolled}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    env.finish().await;
}
