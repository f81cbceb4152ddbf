use leptos::prelude::*;
use leptos_router::components::Router;
use partner_workspaces::components::shell::Shell;
use partner_workspaces::session::Session;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::mount;

#[wasm_bindgen_test]
async fn the_shell_has_the_product_navigation_and_the_page() {
    let app = mount(|| {
        Session::provide();
        view! {
            <Router>
                <Shell>
                    <p>"page content"</p>
                </Shell>
            </Router>
        }
    });

    app.until("the shell", |app| app.text().contains("page content"))
        .await;

    assert!(app.text().contains("Partner Workspaces"));
    let nav = app
        .find("nav[aria-label='Main']")
        .expect("the main navigation");
    let links = nav.query_selector_all("a").unwrap();
    let links: Vec<(String, String)> = (0..links.length())
        .map(|i| {
            let a: web_sys::Element = links.item(i).unwrap().dyn_into().unwrap();
            (a.text_content().unwrap(), a.get_attribute("href").unwrap())
        })
        .collect();
    assert_eq!(
        links,
        [
            ("Workspaces".to_owned(), "/workspaces".to_owned()),
            ("Team Settings".to_owned(), "/settings/team".to_owned())
        ]
    );
    assert!(app.find("main#main").is_some());
}

#[wasm_bindgen_test]
async fn the_server_state_says_when_the_api_is_unreachable_and_offers_retry() {
    // The test runner's own web server has no /api: exactly what a person sees when
    // the server is down behind the proxy.
    let app = mount(|| {
        Session::provide();
        view! {
            <Router>
                <Shell>
                    <p>"page"</p>
                </Shell>
            </Router>
        }
    });

    app.until("the server state", |app| {
        app.text().contains("Can't reach the server")
    })
    .await;

    let retry = app
        .find("[data-testid=server-status] button")
        .expect("a Retry button");
    assert_eq!(retry.text_content().unwrap(), "Retry");
    let status = app.find("[role=status]").unwrap();
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
}
