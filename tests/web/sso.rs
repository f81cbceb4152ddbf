//! Single sign-on in the web app: the sign-in page's SSO button and refusals, the workspace
//! page's "SSO required", a publisher's requirement switch, and the team's provider form.

use leptos::prelude::*;
use leptos_router::components::Router;
use partner_api::TeamId;
use partner_api::session::UserRef;
use partner_api::sso::{SsoFailure, SsoProvider, SsoRequiredBy, SsoSettings};
use partner_workspaces::components::partner_sso_requirement::PartnerSsoRequirement;
use partner_workspaces::components::remove_sso_provider::RemoveSsoProvider;
use partner_workspaces::components::sso_provider_form::{
    CANT_STORE_SECRETS, SECRET_STORED, SsoProviderForm,
};
use partner_workspaces::components::sso_required::SsoRequired;
use partner_workspaces::components::sso_sign_in::SsoSignIn;
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::pages::signin::SignIn;
use partner_workspaces::session::Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, mount, paul};

fn settings(provider: bool, can_store_secrets: bool) -> SsoSettings {
    SsoSettings {
        provider: provider.then(|| SsoProvider {
            issuer: "https://login.acme.test".to_owned(),
            client_id: "partner-workspaces".to_owned(),
            client_secret_set: true,
            updated_at: "2026-03-12T10:00:00Z".to_owned(),
            updated_by: Some(UserRef {
                id: "u_alice".into(),
                name: "Alice Admin".to_owned(),
                email: "alice@acme.test".to_owned(),
            }),
        }),
        domains: vec!["acme.test".to_owned()],
        required: false,
        redirect_uri: "http://127.0.0.1:8080/api/sso/callback".to_owned(),
        can_store_secrets,
    }
}

#[wasm_bindgen_test]
async fn a_team_that_requires_sso_gets_one_primary_button_that_says_why() {
    let page = mount(|| {
        view! {
            <SsoSignIn
                email="sam@soylent.test".to_owned()
                team=Some("Soylent".to_owned())
                required=true
                primary=true
                return_to="/workspace/w_search".to_owned()
            />
        }
    });
    page.until("the button", |page| page.find("a.button").is_some())
        .await;

    assert_eq!(
        page.find("a.button").unwrap().text_content().unwrap(),
        "Continue with Soylent SSO"
    );
    assert_eq!(
        page.attr("a.button", "href").as_deref(),
        Some("/api/sso/start?email=sam%40soylent.test&return_to=%2Fworkspace%2Fw_search")
    );
    // The router must leave it alone: the browser itself goes to the identity provider.
    assert_eq!(page.attr("a.button", "rel").as_deref(), Some("external"));
    assert!(
        page.attr("a.button", "class")
            .unwrap()
            .contains("button-primary")
    );
    assert_eq!(
        page.attr("a.button", "aria-describedby").as_deref(),
        Some("sso-required-why")
    );
    assert!(page.text().contains("Soylent requires single sign-on"));
}

#[wasm_bindgen_test]
async fn an_offered_sso_is_a_second_way_without_a_reason() {
    let page = mount(|| {
        view! {
            <SsoSignIn
                email="gina@globex.test".to_owned()
                team=None
                required=false
                primary=false
                return_to="/workspaces".to_owned()
            />
        }
    });
    page.until("the button", |page| page.find("a.button").is_some())
        .await;

    assert_eq!(page.text().trim(), "Continue with SSO");
    assert!(page.find("#sso-required-why").is_none());
    assert!(
        !page
            .attr("a.button", "class")
            .unwrap()
            .contains("button-primary")
    );
}

#[wasm_bindgen_test]
async fn a_refused_sso_sign_in_says_why_with_the_address_filled_in() {
    let before = window().location().href().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(
            &JsValue::NULL,
            "",
            Some("/signin?sso_error=nonce_mismatch&email=sam%40soylent.test"),
        )
        .unwrap();
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <SignIn />
            </Router>
        }
    });
    page.until("the alert", |page| page.find("[role=alert]").is_some())
        .await;
    let value = page
        .find("#signin-email")
        .map(|input| {
            wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(input).value()
        })
        .unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();

    assert_eq!(
        page.find("[role=alert]").unwrap().text_content().unwrap(),
        SsoFailure::NonceMismatch.label()
    );
    assert_eq!(value, "sam@soylent.test");
}

#[wasm_bindgen_test]
async fn an_unknown_sso_error_code_gets_a_plain_sentence_not_the_code() {
    let before = window().location().href().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some("/signin?sso_error=%3Cb%3Ex"))
        .unwrap();
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <SignIn />
            </Router>
        }
    });
    page.until("the alert", |page| page.find("[role=alert]").is_some())
        .await;
    let alert = page.find("[role=alert]").unwrap().text_content().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();

    assert!(alert.starts_with("Single sign-on didn't work"), "{alert}");
    assert!(!alert.contains("<b>"));
}

#[wasm_bindgen_test]
async fn leaving_the_email_field_asks_whether_its_domain_signs_in_with_sso() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <SignIn />
            </Router>
        }
    });
    page.until("the form", |page| page.find("#signin-email").is_some())
        .await;
    let log = FetchLog::start();

    page.type_into("#signin-email", "sam@soylent.test");
    let input: web_sys::HtmlElement =
        wasm_bindgen::JsCast::unchecked_into(page.find("#signin-email").unwrap());
    input.focus().unwrap();
    input.blur().unwrap();
    page.until("the discovery", |_| log.count("GET /api/sso/discover") == 1)
        .await;

    // The test runner's server has no API: no SSO is offered, the password form stays.
    assert!(page.find("#signin-password").is_some());
    assert!(page.find("[data-testid=sso-sign-in]").is_none());
}

#[wasm_bindgen_test]
async fn the_workspace_page_says_who_requires_sso_and_starts_it_coming_back_here() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <SsoRequired
                    workspace_id="w_search"
                    me=paul()
                    by=Some(SsoRequiredBy {
                        publisher: "Hooli".to_owned(),
                        partner_team: "Soylent".to_owned(),
                    })
                />
            </Router>
        }
    });
    page.until("the page", |page| page.find("h1").is_some())
        .await;

    assert_eq!(
        page.find("[data-testid=sso-required-sentence]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Hooli requires Soylent people to sign in with SSO."
    );
    let start: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(
        page.root.query_selector_all("a").unwrap().get(0).unwrap(),
    );
    assert_eq!(start.text_content().unwrap(), "Sign in with SSO");
    assert_eq!(
        start.get_attribute("href").as_deref(),
        Some("/api/sso/start?email=paul%40acme.test&return_to=%2Fworkspace%2Fw_search")
    );
    assert_eq!(start.get_attribute("rel").as_deref(), Some("external"));
    assert!(page.text().contains("paul@acme.test (Acme Payments)"));
}

#[wasm_bindgen_test]
async fn the_requirement_switch_warns_without_a_provider_and_stays_put_when_refused() {
    let changed = RwSignal::new(0);
    let page = mount(move || {
        view! {
            <ToastRegion>
                <PartnerSsoRequirement
                    team=TeamId::from("t_soylent")
                    team_name="Soylent"
                    required=false
                    available=false
                    on_changed=move |_| changed.update(|n| *n += 1)
                />
            </ToastRegion>
        }
    });
    page.until("the switch", |page| page.find("[role=switch]").is_some())
        .await;

    assert!(page.text().contains("Require SSO for Soylent people"));
    assert_eq!(
        page.find("[data-testid=sso-unavailable]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Soylent has no SSO provider set up here: requiring SSO keeps its people out until \
         they set one up."
    );
    assert_eq!(
        page.attr("[role=switch]", "aria-checked").as_deref(),
        Some("false")
    );

    let log = FetchLog::start();
    page.click("[role=switch]");
    // The test runner's server refuses: the switch stays off and says why.
    page.until("the failure", |page| {
        page.find(".sso-requirement [role=alert]").is_some()
            || page.text().contains("still not required")
    })
    .await;
    assert_eq!(
        log.count("PUT /api/partnerships/t_soylent/sso-requirement"),
        1
    );
    assert_eq!(
        page.attr("[role=switch]", "aria-checked").as_deref(),
        Some("false")
    );
    assert_eq!(changed.get_untracked(), 0);
}

#[wasm_bindgen_test]
async fn the_provider_form_reports_each_missing_field_and_sends_nothing() {
    let page = mount(|| {
        let settings = RwSignal::new(settings(false, true));
        view! {
            <ToastRegion>
                <SsoProviderForm settings=settings />
            </ToastRegion>
        }
    });
    page.until("the form", |page| page.find("#sso-issuer").is_some())
        .await;
    assert!(page.find("label[for=sso-issuer]").is_some());
    assert!(page.find("label[for=sso-client-id]").is_some());
    assert!(page.find("label[for=sso-client-secret]").is_some());
    assert_eq!(
        page.attr("#sso-client-secret", "type").as_deref(),
        Some("password")
    );
    let log = FetchLog::start();

    page.click("button[type=submit]");
    page.until("three errors", |page| {
        page.find("#sso-issuer-error").is_some()
            && page.find("#sso-client-id-error").is_some()
            && page.text().contains("Enter the client secret")
    })
    .await;

    assert_eq!(page.focused_id().as_deref(), Some("sso-issuer"));
    assert_eq!(
        page.attr("#sso-issuer", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(log.count("PUT /api/team/sso"), 0);
}

#[wasm_bindgen_test]
async fn a_stored_secret_is_never_shown_and_may_be_left_empty() {
    let page = mount(|| {
        let settings = RwSignal::new(settings(true, true));
        view! {
            <ToastRegion>
                <SsoProviderForm settings=settings />
            </ToastRegion>
        }
    });
    page.until("the form", |page| page.find("#sso-issuer").is_some())
        .await;

    assert!(page.text().contains(SECRET_STORED));
    let secret: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(page.find("#sso-client-secret").unwrap());
    assert_eq!(secret.value(), "");
    assert!(page.find("[data-testid=cant-store-secrets]").is_none());
    let log = FetchLog::start();
    page.click("button[type=submit]");
    // Issuer and client ID are filled in from the saved provider: the form goes out.
    page.until("the request", |_| log.count("PUT /api/team/sso") == 1)
        .await;
    page.until("the refusal", |page| page.find("[role=alert]").is_some())
        .await;
    assert!(page.text().contains("The provider wasn't saved."));
}

#[wasm_bindgen_test]
async fn a_server_without_its_secret_key_says_so_before_anyone_types_a_secret() {
    let page = mount(|| {
        let settings = RwSignal::new(settings(false, false));
        view! {
            <ToastRegion>
                <SsoProviderForm settings=settings />
            </ToastRegion>
        }
    });
    page.until("the note", |page| {
        page.find("[data-testid=cant-store-secrets]").is_some()
    })
    .await;
    assert_eq!(
        page.find("[data-testid=cant-store-secrets]")
            .unwrap()
            .text_content()
            .unwrap(),
        CANT_STORE_SECRETS
    );
}

#[wasm_bindgen_test]
async fn removing_the_provider_asks_first_and_cancel_changes_nothing() {
    let page = mount(|| {
        let settings = RwSignal::new(settings(true, true));
        view! {
            <ToastRegion>
                <RemoveSsoProvider settings=settings />
            </ToastRegion>
        }
    });
    page.until("the button", |page| page.find("button").is_some())
        .await;
    let log = FetchLog::start();

    page.click("button.button-danger");
    page.until("the dialog", |page| {
        page.text().contains("Remove your identity provider?")
    })
    .await;
    assert!(page.text().contains("sign in with their passwords"));
    let buttons = page.root.query_selector_all("dialog button").unwrap();
    let cancel = (0..buttons.length())
        .filter_map(|i| buttons.get(i))
        .find(|b| b.text_content().as_deref() == Some("Cancel"))
        .unwrap();
    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(cancel).click();
    page.until("the dialog to close", |page| {
        !page.find("dialog").is_some_and(|d| d.has_attribute("open"))
    })
    .await;
    assert_eq!(log.count("DELETE /api/team/sso"), 0);
}

#[wasm_bindgen_test]
async fn a_removed_provider_leaves_an_empty_form() {
    let settings = RwSignal::new(settings(true, true));
    let page = mount(move || {
        view! {
            <ToastRegion>
                <SsoProviderForm settings=settings />
            </ToastRegion>
        }
    });
    let value = |page: &crate::support::Mounted, id: &str| {
        let input: web_sys::HtmlInputElement =
            wasm_bindgen::JsCast::unchecked_into(page.find(id).unwrap());
        input.value()
    };
    page.until("the form with the provider's issuer", |page| {
        page.find("#sso-issuer").is_some()
            && value(page, "#sso-issuer") == "https://login.acme.test"
    })
    .await;
    // What Remove provider does once the server has removed it.
    settings.update(|s| s.provider = None);
    page.until("the emptied form", |page| {
        value(page, "#sso-issuer").is_empty() && value(page, "#sso-client-id").is_empty()
    })
    .await;
}
