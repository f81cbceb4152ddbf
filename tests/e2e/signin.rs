use crate::harness::{DEMO_PASSWORD, Env};

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";
/// Where the top bar's Team Settings opens: General.
const TEAM_SETTINGS: &str = "/settings/team/general";

#[tokio::test(flavor = "multi_thread")]
async fn a_protected_deep_link_signs_in_and_comes_back_and_sign_out_ends_the_session() {
    let env = Env::start().await;

    // Signed out, a deep link goes to sign in, remembering where it was going.
    env.open(PARTNERSHIPS).await;
    env.until_path(&format!("/signin?next={PARTNERSHIPS}"))
        .await;
    env.find_text("h1", "Sign in to Partner Workspaces").await;
    assert_eq!(env.api_status("/api/me").await, 401);

    env.submit_sign_in("paul@acme.test", DEMO_PASSWORD).await;

    env.until_path(PARTNERSHIPS).await;
    env.find_text("h1", "Partnerships").await;
    // The top bar says which account and team this is.
    let account = env
        .find_text("*[@data-testid='account']", "paul@acme.test")
        .await;
    let account = account.text().await.unwrap();
    assert!(account.contains("Paul"), "{account}");
    assert!(account.contains("Acme Payments"), "{account}");
    assert_eq!(env.api_status("/api/me").await, 200);

    env.open_account_menu().await;
    env.button("Sign out").await.click().await.unwrap();

    env.until_path("/signin").await;
    env.find_text("h1", "Sign in to Partner Workspaces").await;
    env.field("Email").await;
    assert_eq!(env.api_status("/api/me").await, 401);
    // A reload of a protected page asks to sign in again: the session really ended.
    env.open(PARTNERSHIPS).await;
    env.until_path(&format!("/signin?next={PARTNERSHIPS}"))
        .await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_next_that_leads_to_another_site_is_ignored() {
    let env = Env::start().await;

    // //elsewhere.example, https://elsewhere.example, /\elsewhere.example and the first
    // again unencoded, as a crafted link would carry them.
    for (next, account) in [
        ("%2F%2Felsewhere.example", "paul@acme.test"),
        ("https%3A%2F%2Felsewhere.example", "alice@acme.test"),
        ("%2F%5Celsewhere.example", "gina@globex.test"),
        ("//elsewhere.example", "ivan@initech.test"),
    ] {
        env.open(&format!("/signin?next={next}")).await;
        env.submit_sign_in(account, DEMO_PASSWORD).await;

        env.until_path("/workspaces").await;
        let url = env.driver.current_url().await.unwrap();
        assert_eq!(
            url.host_str(),
            Some("127.0.0.1"),
            "next={next} left the site"
        );
        env.find_text("*[@data-testid='account']", account).await;
        env.driver.delete_all_cookies().await.unwrap();
    }

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_next_that_the_browser_resolves_to_another_site_lands_on_a_live_page() {
    let env = Env::start().await;

    // Each passes a check of its text; the browser resolves its path to //elsewhere.example,
    // which history refuses (SecurityError): the app panicked on sign-in and froze.
    for (next, account) in [
        ("/.//elsewhere.example", "paul@acme.test"),
        ("%2F..%2F%2Felsewhere.example", "alice@acme.test"),
        ("/%252e//elsewhere.example/workspaces", "gina@globex.test"),
    ] {
        env.open(&format!("/signin?next={next}")).await;
        env.submit_sign_in(account, DEMO_PASSWORD).await;

        env.until_path("/workspaces").await;
        let url = env.driver.current_url().await.unwrap();
        assert_eq!(url.host_str(), Some("127.0.0.1"), "next={next}");
        env.find_text("*[@data-testid='account']", account).await;
        // The app still works: its navigation opens another page.
        env.find_text("nav[@aria-label='Main']//a", "Team Settings")
            .await
            .click()
            .await
            .unwrap();
        env.until_path(TEAM_SETTINGS).await;
        env.driver.delete_all_cookies().await.unwrap();
    }

    // Signed in already, "Continue" goes to Workspaces too, and the app still works.
    env.sign_in("wanda@acme.test").await;
    env.open("/signin?next=/.//elsewhere.example").await;
    env.find_text("span", "Signed in as").await;
    let continue_link = env.find_text("a", "Continue").await;
    assert_eq!(
        continue_link.attr("href").await.unwrap().as_deref(),
        Some("/workspaces")
    );
    continue_link.click().await.unwrap();
    env.until_path("/workspaces").await;
    env.find_text("nav[@aria-label='Main']//a", "Team Settings")
        .await
        .click()
        .await
        .unwrap();
    env.until_path(TEAM_SETTINGS).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_explained_and_an_open_session_is_offered_to_continue() {
    let env = Env::start().await;

    env.open("/signin").await;
    env.submit_sign_in("paul@acme.test", "not-the-password")
        .await;

    env.find_text("*[@role='alert']", "don't match").await;
    assert_eq!(env.path().await, "/signin");
    assert_eq!(env.api_status("/api/me").await, 401);

    // Already signed in, the sign-in page says as whom and offers to continue.
    env.sign_in("wanda@acme.test").await;
    env.open("/signin?next=%2Fworkspaces%3Ftab%3Dshared_partner")
        .await;
    env.find_text("span", "Signed in as").await;
    env.find_text("a", "Continue").await.click().await.unwrap();
    env.until_path("/workspaces?tab=shared_partner").await;

    env.finish().await;
}
