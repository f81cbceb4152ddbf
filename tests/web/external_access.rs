use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use partner_api::external_access::{ExternalGrant, PublisherCount};
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::workspaces::Publisher;
use partner_api::{Paginated, PartnerRole, TeamId};
use partner_workspaces::api::ApiError;
use partner_workspaces::components::end_access_dialog::{EndAccessDialog, EndTarget};
use partner_workspaces::components::external_access_filters::ExternalAccessFilters;
use partner_workspaces::components::external_access_table::{
    ExternalAccessTable, GrantsTableState,
};
use partner_workspaces::params::external_access::ExternalAccessParams;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Event, EventInit, HtmlSelectElement};

use crate::support::{Mounted, mount};

fn acme() -> Publisher {
    Publisher {
        id: "t_acme".into(),
        name: "Acme Payments".to_owned(),
    }
}

fn grant(login: &str, name: &str, workspace: &str, role: PartnerRole, lead: bool) -> ExternalGrant {
    ExternalGrant {
        ends_at: None,
        publisher: acme(),
        workspace: WorkspaceRef {
            id: format!("w_{}", workspace.to_lowercase().replace(' ', "_")).into(),
            name: workspace.to_owned(),
        },
        person: UserRef {
            id: format!("u_{login}").into(),
            name: name.to_owned(),
            email: format!("{login}@globex.test"),
        },
        role,
        lead,
        since: "2026-03-12T14:05:09Z".to_owned(),
        last_opened_at: None,
    }
}

/// What the callbacks were called with.
#[derive(Clone, Default)]
struct Calls(Arc<Mutex<Vec<String>>>);

impl Calls {
    fn push(&self, call: impl Into<String>) {
        self.0.lock().unwrap().push(call.into());
    }

    fn list(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn table(state: GrantsTableState, params: ExternalAccessParams) -> (Mounted, Calls) {
    let calls = Calls::default();
    let recorded = calls.clone();
    let mounted = mount(move || {
        let ended = recorded.clone();
        let cleared = recorded.clone();
        let retried = recorded.clone();
        view! {
            <ExternalAccessTable
                state=state
                params=Signal::stored(params)
                on_end=move |grant: ExternalGrant| {
                    ended.push(format!("end {} {}", grant.person.id, grant.workspace.id))
                }
                on_clear=move |()| cleared.push("clear")
                on_retry=move |()| retried.push("retry")
            />
        }
    });
    (mounted, calls)
}

fn texts(page: &Mounted, selector: &str) -> Vec<String> {
    let list = page.root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .text_content()
                .unwrap()
                .trim()
                .to_owned()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn each_row_names_publisher_workspace_person_role_and_lead_and_ends_that_access() {
    let page_of = Paginated {
        items: vec![
            grant(
                "gina",
                "Gina Gray",
                "Payments API",
                PartnerRole::Editor,
                true,
            ),
            grant(
                "gary",
                "Gary Green",
                "Payments API",
                PartnerRole::Viewer,
                false,
            ),
        ],
        total: 2,
        page: 1,
        per_page: 50,
    };
    let (page, calls) = table(
        GrantsTableState::Loaded(page_of),
        ExternalAccessParams::default(),
    );
    page.until("two rows", |page| {
        page.root
            .query_selector_all("tr[data-testid=grant]")
            .unwrap()
            .length()
            == 2
    })
    .await;

    assert_eq!(
        texts(&page, "thead th"),
        [
            "Publisher",
            "Workspace",
            "Person",
            "Role",
            "Since",
            "Last opened",
            "Actions"
        ]
    );
    let rows = texts(&page, "tr[data-testid=grant]");
    assert!(rows[0].contains("Acme Payments"), "{rows:?}");
    assert!(rows[0].contains("Payments API"), "{rows:?}");
    assert!(rows[0].contains("Gina Gray"), "{rows:?}");
    assert!(rows[0].contains("gina@globex.test"), "{rows:?}");
    assert!(rows[0].contains("EditorPartner Lead"), "{rows:?}");
    assert!(
        rows[1].contains("Viewer") && !rows[1].contains("Partner Lead"),
        "{rows:?}"
    );
    assert!(rows[1].contains("Not opened yet"), "{rows:?}");
    assert_eq!(
        page.attr("tr[data-testid=grant]:nth-child(2) button", "aria-label")
            .as_deref(),
        Some("End access for Gary Green to Payments API")
    );

    page.click("tr[data-testid=grant]:nth-child(2) button");
    assert_eq!(calls.list(), ["end u_gary w_payments_api"]);
    assert_eq!(
        texts(&page, "nav[aria-label=Pages] span[aria-live]"),
        ["1–2 of 2"]
    );
}

#[wasm_bindgen_test]
async fn with_nothing_at_all_the_empty_state_says_where_access_comes_from() {
    let empty = Paginated {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: 50,
    };
    let (page, _) = table(
        GrantsTableState::Loaded(empty),
        ExternalAccessParams::default(),
    );
    page.until("the empty state", |page| {
        page.text()
            .contains("No access to other companies' workspaces")
    })
    .await;
    assert!(
        page.text()
            .contains("When another company invites one of your people")
    );
    assert!(page.find("button").is_none(), "nothing to clear");
}

#[wasm_bindgen_test]
async fn a_search_that_matches_nothing_says_so_and_clears() {
    let empty = Paginated {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: 50,
    };
    let params = ExternalAccessParams::default()
        .with_search("zed")
        .with_role(Some(PartnerRole::Editor));
    let (page, calls) = table(GrantsTableState::Loaded(empty), params);
    page.until("the empty state", |page| {
        page.text().contains("No results for 'zed'")
    })
    .await;
    assert!(
        page.text()
            .contains("No person, email or workspace matches 'zed' with these filters.")
    );
    page.click("td button");
    assert_eq!(calls.list(), ["clear"]);
}

#[wasm_bindgen_test]
async fn a_failed_load_says_what_happened_and_retries() {
    let (page, calls) = table(
        GrantsTableState::Failed(ApiError::Network),
        ExternalAccessParams::default(),
    );
    page.until("the error", |page| page.find("[role=alert]").is_some())
        .await;
    assert!(page.text().contains("Can't reach the server."));
    page.click("[role=alert] button");
    assert_eq!(calls.list(), ["retry"]);
}

fn change(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_publisher_filter_lists_publishers_with_counts_and_shows_the_one_in_the_url() {
    let calls = Calls::default();
    let recorded = calls.clone();
    let publisher = RwSignal::new(Some(TeamId::from("t_acme")));
    let page = mount(move || {
        let chosen = recorded.clone();
        let publishers = Signal::stored(vec![
            PublisherCount {
                publisher: acme(),
                grants: 2,
            },
            PublisherCount {
                publisher: Publisher {
                    id: "t_umbrella".into(),
                    name: "Umbrella".to_owned(),
                },
                grants: 1,
            },
        ]);
        let on_publisher = move |p: Option<TeamId>| {
            chosen.push(format!(
                "publisher {}",
                p.map(|p| p.to_string()).unwrap_or_default()
            ))
        };
        let no_role = Signal::stored(None::<PartnerRole>);
        let on_role = |_: Option<PartnerRole>| {};
        view! {
            <ExternalAccessFilters
                q=Signal::stored(String::new())
                publisher=publisher
                role=no_role
                publishers=publishers
                on_search=|_: String| {}
                on_publisher=on_publisher
                on_role=on_role
            />
        }
    });
    page.until("the publishers", |page| {
        page.text().contains("Umbrella (1)")
    })
    .await;
    let select: HtmlSelectElement = page.find("#external-publisher").unwrap().unchecked_into();
    assert_eq!(
        texts(&page, "#external-publisher option"),
        ["All publishers", "Acme Payments (2)", "Umbrella (1)"]
    );
    assert_eq!(select.value(), "t_acme");

    change(&select, "t_umbrella");
    change(&select, "");
    assert_eq!(calls.list(), ["publisher t_umbrella", "publisher "]);

    // A publisher no longer listed (its access just ended) stays the one shown.
    publisher.set(Some(TeamId::from("t_gone")));
    page.until("the unlisted publisher", |page| {
        page.find("#external-publisher")
            .unwrap()
            .unchecked_into::<HtmlSelectElement>()
            .value()
            == "t_gone"
    })
    .await;
}

#[wasm_bindgen_test]
async fn ending_one_access_says_who_loses_what_and_that_the_publisher_is_told() {
    let target = RwSignal::new(None::<EndTarget>);
    let page = mount(move || {
        view! {
            <EndAccessDialog
                target=target
                team="Globex"
                on_ended=|_| {}
                on_cancel=move |()| target.set(None)
            />
        }
    });
    target.set(Some(EndTarget::Grant(grant(
        "gina",
        "Gina Gray",
        "Payments API",
        PartnerRole::Editor,
        true,
    ))));
    page.until("the dialog", |page| page.find("dialog[open]").is_some())
        .await;
    let text = page.find("dialog").unwrap().text_content().unwrap();
    assert!(
        text.contains("End Gina Gray's access to Payments API?"),
        "{text}"
    );
    assert!(
        text.contains(
            "Gina Gray (gina@globex.test) can no longer open Payments API, a workspace of Acme \
             Payments, as Editor from now on."
        ),
        "{text}"
    );
    assert!(
        text.contains("They also stop being Partner Lead there"),
        "{text}"
    );
    assert!(
        text.contains(
            "The Partner Managers and Team Admins at Acme Payments get an email saying that \
             Globex ended it."
        ),
        "{text}"
    );
    assert_eq!(
        texts(&page, "dialog button.danger"),
        ["End access"],
        "the button names the action"
    );

    page.click("dialog button:not(.danger):not([aria-label])");
    page.until("the dialog to close", |page| {
        page.find("dialog[open]").is_none()
    })
    .await;
}
