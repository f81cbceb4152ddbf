use leptos::prelude::*;
use leptos_router::components::Router;
use partner_api::Me;
use partner_workspaces::components::account_menu::AccountMenu;
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::session::Session;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{mount, paul};

#[wasm_bindgen_test]
async fn the_account_shows_who_is_signed_in_and_a_sign_in_link_once_signed_out() {
    let session = StoredValue::new(None::<Session>);
    let menu = mount(move || {
        session.set_value(Some(Session::provide()));
        view! {
            <Router>
                <AccountMenu />
            </Router>
        }
    });
    let session = session.get_value().unwrap();
    // The test runner's server has no /api: the account can't be loaded, and says so.
    menu.until("the failed session check", |menu| {
        menu.text().contains("Account unavailable")
    })
    .await;
    assert!(
        menu.find("button")
            .is_some_and(|b| b.text_content().unwrap() == "Retry")
    );

    session.signed_in(paul());
    menu.until("the account", |menu| menu.text().contains("Paul Partner"))
        .await;
    let account = menu
        .find("[data-testid=account]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(account.contains("paul@acme.test"), "{account}");
    assert!(account.contains("Acme Payments"), "{account}");
    // Sign out is in the menu the account opens.
    assert!(menu.find("#account-menu[hidden]").is_some());
    menu.click("[aria-controls=account-menu]");
    menu.until("the open menu", |menu| {
        menu.find("#account-menu:not([hidden])").is_some()
    })
    .await;
    assert_eq!(menu.items(), ["Change password", "Sign out"]);

    session.signed_in(Me {
        team: None,
        ..paul()
    });
    menu.until("no team", |menu| menu.text().contains("No team"))
        .await;

    session.signed_out();
    menu.until("the sign-in link", |menu| menu.find("a").is_some())
        .await;
    let link = menu.find("a").unwrap();
    assert_eq!(link.text_content().unwrap(), "Sign in");
    assert!(
        link.get_attribute("href")
            .unwrap()
            .starts_with("/signin?next=/"),
        "{:?}",
        link.get_attribute("href")
    );
    assert!(!menu.text().contains("Paul"));
}

impl crate::support::Mounted {
    /// The labels of the account menu's items.
    fn items(&self) -> Vec<String> {
        let items = self
            .root
            .query_selector_all("#account-menu button")
            .unwrap();
        (0..items.length())
            .map(|i| items.item(i).unwrap().text_content().unwrap())
            .collect()
    }
}

#[wasm_bindgen_test]
async fn the_menu_opens_change_password_whose_form_says_what_is_missing() {
    let session = StoredValue::new(None::<Session>);
    let menu = mount(move || {
        session.set_value(Some(Session::provide()));
        view! {
            <Router>
                <ToastRegion>
                    <AccountMenu />
                </ToastRegion>
            </Router>
        }
    });
    // The test runner's server has no /api: the session check fails first.
    menu.until("the failed session check", |menu| {
        menu.text().contains("Account unavailable")
    })
    .await;
    session.get_value().unwrap().signed_in(paul());
    menu.until("the account", |menu| menu.text().contains("Paul Partner"))
        .await;
    let trigger = "[aria-controls=account-menu]";
    assert_eq!(
        menu.attr(trigger, "aria-expanded").as_deref(),
        Some("false")
    );

    // Escape closes the menu and leaves focus on its button.
    menu.click(trigger);
    menu.until("the open menu", |menu| {
        menu.attr(trigger, "aria-expanded").as_deref() == Some("true")
    })
    .await;
    menu.key("#account-menu button", "Escape");
    menu.until("the closed menu", |menu| {
        menu.find("#account-menu[hidden]").is_some()
    })
    .await;
    assert_eq!(menu.focused_id(), menu.attr(trigger, "id"));

    menu.click(trigger);
    menu.until("the open menu", |menu| {
        menu.find("#account-menu:not([hidden])").is_some()
    })
    .await;
    menu.click("#account-menu button");
    menu.until("the dialog", |menu| {
        menu.find("dialog[open] form").is_some()
    })
    .await;
    assert_eq!(
        menu.find("dialog[open] h2")
            .unwrap()
            .text_content()
            .unwrap(),
        "Change your password"
    );
    assert!(menu.find("#account-menu[hidden]").is_some());
    assert_eq!(menu.focused_id().as_deref(), Some("password-current"));

    // Nothing typed: each field says what it needs, and focus goes to the first.
    menu.click("dialog[open] button[type=submit]");
    menu.until("the field errors", |menu| {
        menu.find("#password-current-error").is_some()
    })
    .await;
    let text = menu.text();
    assert!(text.contains("Enter your current password."), "{text}");
    assert!(text.contains("Enter a new password."), "{text}");
    assert_eq!(
        menu.attr("#password-current", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(menu.focused_id().as_deref(), Some("password-current"));

    // The errors follow what is typed.
    menu.type_into("#password-current", "partner-demo");
    menu.type_into("#password-new", "too short");
    menu.type_into("#password-confirm", "too short");
    menu.until("the new password's rule", |menu| {
        menu.find("#password-current[aria-invalid]").is_none()
            && menu.text().contains("Use at least 12 characters.")
    })
    .await;
    menu.type_into("#password-new", "a long new passphrase");
    menu.until("the confirmation's error", |menu| {
        menu.text().contains("This doesn't match the new password.")
    })
    .await;

    // Cancel closes the dialog; focus goes back to the account button.
    menu.click("dialog[open] button[type=button]");
    menu.until("the closed dialog", |menu| {
        menu.find("dialog[open]").is_none()
    })
    .await;
    assert_eq!(menu.focused_id(), menu.attr(trigger, "id"));
}
