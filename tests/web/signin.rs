use leptos::prelude::*;
use leptos_router::components::Router;
use partner_workspaces::pages::signin::SignIn;
use partner_workspaces::session::Session;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, Mounted, mount};

const EMAIL: &str = "#signin-email";
const PASSWORD: &str = "#signin-password";
const SUBMIT: &str = "button[type=submit]";
const SIGN_IN: &str = "POST /api/session";

/// The sign-in page as the app mounts it. The test runner's server has no /api, so the
/// session check fails and the page offers the form.
async fn sign_in_page() -> Mounted {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <SignIn />
            </Router>
        }
    });
    page.until("the form", |page| page.find(EMAIL).is_some())
        .await;
    page
}

#[wasm_bindgen_test]
async fn the_fields_have_labels_and_no_errors_before_a_submit() {
    let page = sign_in_page().await;

    assert!(page.find("label[for=signin-email]").is_some());
    assert!(page.find("label[for=signin-password]").is_some());
    assert_eq!(page.attr(EMAIL, "aria-invalid"), None);
    assert_eq!(page.attr(PASSWORD, "aria-invalid"), None);
    assert!(page.find(".field-error").is_none());
    // The test runner's server is no demo server: the demo accounts stay hidden.
    assert!(!page.text().contains("Demo accounts"));
}

#[wasm_bindgen_test]
async fn submitting_empty_shows_both_field_errors_and_sends_nothing() {
    let page = sign_in_page().await;
    let log = FetchLog::start();

    page.click(SUBMIT);

    page.until("both field errors", |page| {
        page.find("#signin-email-error").is_some() && page.find("#signin-password-error").is_some()
    })
    .await;
    assert_eq!(
        page.find("#signin-email-error")
            .unwrap()
            .text_content()
            .unwrap(),
        "Enter an email address."
    );
    assert_eq!(
        page.find("#signin-password-error")
            .unwrap()
            .text_content()
            .unwrap(),
        "Enter your password."
    );
    assert_eq!(page.attr(EMAIL, "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        page.attr(EMAIL, "aria-describedby").as_deref(),
        Some("signin-email-error")
    );
    assert_eq!(page.attr(PASSWORD, "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        page.attr(PASSWORD, "aria-describedby").as_deref(),
        Some("signin-password-error")
    );
    assert_eq!(log.count(SIGN_IN), 0);
}

#[wasm_bindgen_test]
async fn a_malformed_email_is_refused_before_anything_is_sent() {
    let page = sign_in_page().await;
    let log = FetchLog::start();

    page.type_into(EMAIL, "paul.acme.test");
    page.type_into(PASSWORD, "partner-demo");
    page.click(SUBMIT);

    page.until("the email error", |page| {
        page.find("#signin-email-error").is_some()
    })
    .await;
    assert!(
        page.find("#signin-email-error")
            .unwrap()
            .text_content()
            .unwrap()
            .contains('@')
    );
    assert_eq!(page.attr(EMAIL, "aria-invalid").as_deref(), Some("true"));
    assert_eq!(page.attr(PASSWORD, "aria-invalid"), None);
    assert!(page.find("#signin-password-error").is_none());

    // Corrected, the form is sent exactly once: nothing went out for the malformed address.
    page.type_into(EMAIL, "paul@acme.test");
    page.until("the error to clear as the address is fixed", |page| {
        page.find("#signin-email-error").is_none()
    })
    .await;
    assert_eq!(page.attr(EMAIL, "aria-invalid"), None);
    page.click(SUBMIT);
    page.until("the sign-in request", |_| log.count(SIGN_IN) == 1)
        .await;
    assert_eq!(log.count(SIGN_IN), 1, "{:?}", log.requests());
}

#[wasm_bindgen_test]
async fn a_sign_in_is_sent_once_and_a_failure_is_shown_for_the_whole_form() {
    let page = sign_in_page().await;
    let log = FetchLog::start();

    page.type_into(EMAIL, "paul@acme.test");
    page.type_into(PASSWORD, "partner-demo");
    // A double click: the second one must not send the form again.
    page.click(SUBMIT);
    page.click(SUBMIT);

    // The test runner's server does not know /api/session: the answer makes no sense to
    // the app, which says so above the fields and lets the person try again.
    page.until("the form-level message", |page| {
        page.find(".failure[role=alert]").is_some()
    })
    .await;
    assert_eq!(log.count(SIGN_IN), 1, "{:?}", log.requests());
    assert!(page.find("#signin-email-error").is_none());
    let submit = page.find(SUBMIT).unwrap();
    assert_eq!(submit.text_content().unwrap(), "Sign in");
    assert_eq!(submit.get_attribute("disabled"), None);
}
