use leptos::prelude::*;
use leptos_router::components::Router;
use partner_api::Me;
use partner_workspaces::components::account_menu::AccountMenu;
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
    assert!(
        menu.find("button")
            .is_some_and(|b| b.text_content().unwrap() == "Sign out")
    );

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
