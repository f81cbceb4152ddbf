use leptos::prelude::*;
use leptos_router::components::Router;
use partner_workspaces::components::require_session::RequireSession;
use partner_workspaces::session::Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::UrlSearchParams;

use crate::support::{Mounted, mount, paul};

/// A page behind the guard. The test runner's server has no /api, so the session check
/// fails; tests then set the session as a sign-in or sign-out would.
async fn guarded_page() -> (Mounted, Session) {
    let session = StoredValue::new(None::<Session>);
    let page = mount(move || {
        session.set_value(Some(Session::provide()));
        view! {
            <Router>
                <RequireSession>
                    <p>"the protected page"</p>
                </RequireSession>
            </Router>
        }
    });
    let session = session.get_value().unwrap();
    page.until("the failed session check", |page| {
        page.text().contains("We couldn't check your sign-in")
    })
    .await;
    (page, session)
}

#[wasm_bindgen_test]
async fn a_failed_session_check_explains_and_offers_retry_instead_of_the_page() {
    let (page, session) = guarded_page().await;

    assert!(!page.text().contains("the protected page"));
    assert!(page.find("[role=alert]").is_some());
    let retry = page.find("button").expect("a Retry button");
    assert_eq!(retry.text_content().unwrap(), "Retry");

    session.signed_in(paul());
    page.until("the page, once signed in", |page| {
        page.text().contains("the protected page")
    })
    .await;
}

#[wasm_bindgen_test]
async fn signed_out_goes_to_sign_in_with_the_way_back() {
    let location = window().location();
    let href = location.href().unwrap();
    let here = format!(
        "{}{}{}",
        location.pathname().unwrap(),
        location.search().unwrap(),
        location.hash().unwrap()
    );
    let (page, session) = guarded_page().await;

    session.signed_out();
    page.until("the redirect to sign in", |_| {
        location.pathname().unwrap() == "/signin"
    })
    .await;
    let search = location.search().unwrap();
    // Put the test page back where it was for the tests after this one.
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&href))
        .unwrap();

    let next = UrlSearchParams::new_with_str(&search).unwrap().get("next");
    assert_eq!(next, Some(here), "{search}");
    assert!(!page.text().contains("the protected page"));
}
