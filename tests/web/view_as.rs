//! "View as partner": the banner on every page during a view, and the buttons that start one.

use leptos::prelude::*;
use leptos_router::components::Router;
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use partner_api::view_as::ViewAs;
use partner_api::workspaces::Publisher;
use partner_api::{UserId, WorkspaceId};
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::components::view_as_banner::{ViewAsBanner, exit_path, view_as_sentence};
use partner_workspaces::components::view_as_button::ViewAsButton;
use partner_workspaces::session::Session;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, mount};

fn view_of(workspace: bool) -> ViewAs {
    ViewAs {
        viewer: UserRef {
            id: "u_wanda".into(),
            name: "Wanda Admin".to_owned(),
            email: "wanda@acme.test".to_owned(),
        },
        partner: UserRef {
            id: "u_uma".into(),
            name: "Uma Ueda".to_owned(),
            email: "uma@umbrella.test".to_owned(),
        },
        partner_team: TeamRef {
            id: "t_umbrella".into(),
            name: "Umbrella".to_owned(),
            domain: "umbrella.test".to_owned(),
        },
        publisher: Publisher {
            id: "t_acme".into(),
            name: "Acme".to_owned(),
        },
        workspace: workspace.then(|| WorkspaceRef {
            id: "w_fraud".into(),
            name: "Fraud Signals".to_owned(),
        }),
        start_path: "/workspace/w_fraud".to_owned(),
        expires_at: "2026-03-12T15:00:00Z".to_owned(),
    }
}

#[wasm_bindgen_test]
fn the_banner_says_what_is_in_view_and_exit_goes_back_where_it_started() {
    assert_eq!(
        view_as_sentence(&view_of(true)),
        "Viewing Fraud Signals as Uma Ueda (Umbrella) — read-only"
    );
    assert_eq!(exit_path(&view_of(true)), "/workspace/w_fraud/settings");
    assert_eq!(
        view_as_sentence(&view_of(false)),
        "Viewing Acme’s workspaces as Uma Ueda (Umbrella) — read-only"
    );
    assert_eq!(
        exit_path(&view_of(false)),
        "/settings/team/partnerships/external-partners?team=t_umbrella"
    );
}

#[wasm_bindgen_test]
async fn the_banner_says_whose_eyes_and_that_nothing_can_change() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <ViewAsBanner view=view_of(true) />
            </Router>
        }
    });
    page.until("the banner", |page| {
        page.find("[data-testid=view-as-banner]").is_some()
    })
    .await;

    assert_eq!(
        page.attr("aside", "aria-label").as_deref(),
        Some("View as partner")
    );
    assert!(
        page.text()
            .contains("Viewing Fraud Signals as Uma Ueda (Umbrella) — read-only"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("Changes are turned off."));
}

#[wasm_bindgen_test]
async fn a_view_of_every_workspace_names_the_publisher() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <ViewAsBanner view=view_of(false) />
            </Router>
        }
    });
    page.until("the banner", |page| page.find("aside").is_some())
        .await;
    assert!(
        page.text()
            .contains("Viewing Acme’s workspaces as Uma Ueda (Umbrella) — read-only")
    );
}

#[wasm_bindgen_test]
async fn exit_that_fails_keeps_the_banner_and_says_so() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <ViewAsBanner view=view_of(true) />
            </Router>
        }
    });
    page.until("the button", |page| page.find("aside button").is_some())
        .await;
    let log = FetchLog::start();

    page.click("aside button");
    page.until("the failure", |page| {
        page.find("aside [role=alert]").is_some()
    })
    .await;

    assert_eq!(log.count("DELETE /api/view-as"), 1);
    assert!(page.text().contains("The view didn't end."));
    assert!(page.find("aside button").is_some());
}

#[wasm_bindgen_test]
async fn view_as_names_the_partner_to_screen_readers_and_a_refusal_is_a_toast() {
    let page = mount(|| {
        Session::provide();
        view! {
            <Router>
                <ToastRegion>
                    <ViewAsButton
                        partner=UserId::from("u_uma")
                        partner_name="Uma Ueda"
                        workspace=WorkspaceId::from("w_fraud")
                    />
                </ToastRegion>
            </Router>
        }
    });
    page.until("the button", |page| {
        page.find("button[aria-label='View as Uma Ueda']").is_some()
    })
    .await;
    let log = FetchLog::start();

    page.click("button[aria-label='View as Uma Ueda']");
    page.until("the toast", |page| {
        page.text().contains("Couldn't view as Uma Ueda")
    })
    .await;

    assert_eq!(log.count("POST /api/view-as"), 1);
}
