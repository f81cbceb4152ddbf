use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_query;
use partner_api::access_requests::{AccessRequest, AccessRequestStatus};
use partner_api::partnerships::{
    PartnerTeamSummary, PartnershipSort, PartnershipSortKey, SsoFilter, TeamRef, WorkspaceRef,
};
use partner_api::session::UserRef;
use partner_api::{Paginated, PartnerRole};
use partner_workspaces::api::ApiError;
use partner_workspaces::components::access_requests_panel::AccessRequestsPanel;
use partner_workspaces::components::partner_teams_table::{PartnerTeamsTable, TeamsTableState};
use partner_workspaces::components::partner_teams_toolbar::PartnerTeamsToolbar;
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::params::partnerships::PartnershipsParams;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, Mounted, mount};

fn team(id: &str, name: &str, sso: bool, partners: u32, workspaces: u32) -> PartnerTeamSummary {
    PartnerTeamSummary {
        team: TeamRef {
            id: id.into(),
            name: name.to_owned(),
            domain: format!("{}.test", name.to_lowercase()),
        },
        sso_enforced: sso,
        sso_required: false,
        partner_count: partners,
        workspace_count: workspaces,
        last_active_at: Some("2026-03-12T14:05:09Z".to_owned()),
    }
}

/// What the table's callbacks were called with.
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

/// The table given `state`, with callbacks that record what they were asked to do.
fn table(state: TeamsTableState, params: PartnershipsParams) -> (Mounted, Calls) {
    let calls = Calls::default();
    let recorded = calls.clone();
    let mounted = mount(move || {
        let sorted = recorded.clone();
        let cleared = recorded.clone();
        let retried = recorded.clone();
        view! {
            <PartnerTeamsTable
                state=state
                params=Signal::stored(params)
                on_sort=move |key: PartnershipSortKey| sorted.push(format!("sort {}", key.as_str()))
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
async fn while_loading_the_table_shows_skeleton_rows_under_its_headers() {
    let (page, _) = table(TeamsTableState::Loading, PartnershipsParams::default());

    page.until("skeleton rows", |page| {
        page.find("tr.skeleton-row").is_some()
    })
    .await;
    assert_eq!(
        page.root
            .query_selector_all("tr.skeleton-row")
            .unwrap()
            .length(),
        6
    );
    assert_eq!(
        texts(&page, "thead th"),
        [
            "Partner team↑",
            "SSO",
            "Partners↕",
            "Workspaces↕",
            "Last activity↕"
        ]
    );
    assert!(page.find("nav[aria-label=Pages]").is_none());
}

#[wasm_bindgen_test]
async fn loaded_rows_show_each_team_with_its_sso_badge_counts_and_a_link_to_its_detail() {
    let page_of = Paginated {
        items: vec![
            team("t_globex", "Globex", true, 2, 2),
            team("t_initech", "Initech", false, 1, 4),
        ],
        total: 120,
        page: 2,
        per_page: 50,
    };
    let params = PartnershipsParams::default()
        .with_sso(None)
        .with_sort(PartnershipSortKey::Partners)
        .with_page(2);
    let (page, calls) = table(TeamsTableState::Loaded(page_of), params);

    page.until("the rows", |page| page.text().contains("Initech"))
        .await;
    let rows = texts(&page, "tbody tr");
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].starts_with("Globexglobex.testSSO enforced22"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with("Initechinitech.testSSO not enforced14"),
        "{rows:?}"
    );
    // The exact time is in the title; the cell says how long ago.
    assert_eq!(
        page.attr("tbody time", "title").as_deref(),
        Some("12 Mar 2026, 14:05 UTC")
    );
    assert_eq!(
        page.attr("tbody a", "href").as_deref(),
        Some("/settings/team/partnerships/external-partners?sort=-partners&page=2&team=t_globex")
    );
    // Numbers are right-aligned; the sorted column says so.
    assert_eq!(
        page.root
            .query_selector_all("tbody td.numeric")
            .unwrap()
            .length(),
        4
    );
    assert_eq!(
        page.attr("th[aria-sort=descending]", "class")
            .map(|c| c.contains("numeric")),
        Some(true)
    );
    assert_eq!(
        page.root
            .query_selector_all("th[aria-sort=none]")
            .unwrap()
            .length(),
        3
    );
    let pages = page
        .find("nav[aria-label=Pages]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(pages.contains("51–52 of 120"), "{pages}");
    assert_eq!(
        page.attr("a[rel=prev]", "href").as_deref(),
        Some("/settings/team/partnerships/external-partners?sort=-partners")
    );
    assert_eq!(
        page.attr("a[rel=next]", "href").as_deref(),
        Some("/settings/team/partnerships/external-partners?sort=-partners&page=3")
    );

    // Sorting is a real button in each sortable header.
    page.click("thead th:last-child button");
    assert_eq!(calls.list(), ["sort last_active"]);
}

#[wasm_bindgen_test]
async fn no_partners_at_all_says_how_to_get_one() {
    let empty = Paginated {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: 50,
    };
    let (page, _) = table(
        TeamsTableState::Loaded(empty),
        PartnershipsParams::default(),
    );

    page.until("the empty state", |page| {
        page.text().contains("No partners yet")
    })
    .await;
    assert!(page.text().contains("partner workspace's settings"));
    assert!(texts(&page, "td button").is_empty(), "nothing to clear");
    assert_eq!(texts(&page, "td a"), ["Go to your workspaces"]);
    assert!(page.find("nav[aria-label=Pages]").is_none());
}

#[wasm_bindgen_test]
async fn a_search_without_results_names_it_and_offers_clear() {
    let empty = Paginated {
        items: Vec::new(),
        total: 0,
        page: 1,
        per_page: 50,
    };
    let params = PartnershipsParams::default()
        .with_search("zzz")
        .with_sso(Some(SsoFilter::Enforced));
    let (page, calls) = table(TeamsTableState::Loaded(empty), params);

    page.until("no results", |page| {
        page.text().contains("No results for 'zzz'")
    })
    .await;
    assert!(page.text().contains("SSO enforced"));
    let clear = page.find("td button").unwrap();
    assert_eq!(clear.text_content().unwrap(), "Clear search and filter");
    page.click("td button");
    assert_eq!(calls.list(), ["clear"]);
}

#[wasm_bindgen_test]
async fn a_failed_load_says_what_happened_and_retries() {
    let (page, calls) = table(
        TeamsTableState::Failed(ApiError::Network),
        PartnershipsParams::default(),
    );

    page.until("the error", |page| page.find("[role=alert]").is_some())
        .await;
    assert!(page.text().contains("Can't reach the server"));
    assert!(page.text().contains("Check your connection"));
    let retry = page.find("td button").unwrap();
    assert_eq!(retry.text_content().unwrap(), "Retry");
    page.click("td button");
    assert_eq!(calls.list(), ["retry"]);
}

#[wasm_bindgen_test]
async fn typing_a_search_sends_it_once_typing_pauses() {
    let calls = Calls::default();
    let searched = calls.clone();
    let page = mount(move || {
        view! {
            <PartnerTeamsToolbar
                q=Signal::stored(String::new())
                sso=Signal::stored(None)
                on_search=move |q: String| searched.push(q)
                on_sso=|_| {}
            />
        }
    });
    page.until("the search box", |page| {
        page.find("#partner-search").is_some()
    })
    .await;
    assert!(page.find("label[for=partner-search]").is_some());
    assert!(page.find("label[for=sso-filter]").is_some());

    page.type_into("#partner-search", "g");
    page.type_into("#partner-search", "gl");
    page.type_into("#partner-search", "glo");
    assert!(calls.list().is_empty(), "searched before typing paused");
    page.until("the search", |_| !calls.list().is_empty()).await;
    assert_eq!(calls.list(), ["glo"]);
}

/// Shows what the router reads from the address bar, written back as a query string.
#[component]
fn ParamsProbe() -> impl IntoView {
    let params = use_query::<PartnershipsParams>();
    view! {
        <p id="probe">{move || params.get().map(|p| p.to_string()).unwrap_or_default()}</p>
    }
}

#[wasm_bindgen_test]
async fn the_address_bar_reads_as_the_same_filters_and_back() {
    let location = window().location();
    let before = location.href().unwrap();
    let query = "?q=glo%20bex&sso=not_enforced&sort=-partners&page=2&team=t_globex";
    window()
        .history()
        .unwrap()
        .replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&format!(
                "/settings/team/partnerships/external-partners{query}"
            )),
        )
        .unwrap();

    let page = mount(|| view! { <Router><ParamsProbe /></Router> });
    page.until("the probe", |page| {
        page.find("#probe")
            .is_some_and(|p| !p.text_content().unwrap().is_empty())
    })
    .await;
    let shown = page.find("#probe").unwrap().text_content().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .unwrap();

    assert_eq!(shown, query);
    let params = PartnershipsParams::from_query_str(&shown);
    assert_eq!(params.q, "glo bex");
    assert_eq!(params.sso, Some(SsoFilter::NotEnforced));
    assert_eq!(
        params.sort,
        PartnershipSort {
            key: PartnershipSortKey::Partners,
            descending: true
        }
    );
    assert_eq!(params.page, 2);
    assert_eq!(params.team.as_ref().map(|t| t.as_str()), Some("t_globex"));
}

fn request(id: &str, name: &str, workspace: &str) -> AccessRequest {
    AccessRequest {
        id: id.into(),
        user: UserRef {
            id: format!("u_{id}").into(),
            name: name.to_owned(),
            email: format!("{}@globex.test", name.to_lowercase()),
        },
        team: Some(TeamRef {
            id: "t_globex".into(),
            name: "Globex".to_owned(),
            domain: "globex.test".to_owned(),
        }),
        workspace: WorkspaceRef {
            id: format!("w_{workspace}").into(),
            name: workspace.to_owned(),
        },
        role: PartnerRole::Viewer,
        message: "We need the fraud scores.".to_owned(),
        status: AccessRequestStatus::Pending,
        created_at: "2026-03-12T14:05:09Z".to_owned(),
    }
}

#[wasm_bindgen_test]
async fn bulk_decisions_that_fail_keep_each_request_and_say_what_to_do() {
    let page = mount(|| {
        // The requests as the page's resource would hold them; the decisions really go out
        // (to the test runner's server, which has no /api: every one of them fails).
        let requests = LocalResource::new(|| async {
            Ok(Paginated {
                items: vec![
                    request("ar1", "Gary", "Fraud Signals"),
                    request("ar2", "Gina", "Payments API"),
                ],
                total: 2,
                page: 1,
                per_page: 200,
            })
        });
        view! {
            <ToastRegion>
                <AccessRequestsPanel requests=requests on_decided=|()| {} />
            </ToastRegion>
        }
    });
    page.until("the requests", |page| page.text().contains("Gina"))
        .await;
    assert_eq!(texts(&page, ".head .badge"), ["2"]);
    assert!(page.text().contains("Fraud Signals"));
    assert!(page.text().contains("We need the fraud scores."));
    assert_eq!(
        page.attr("li.request time", "title").as_deref(),
        Some("12 Mar 2026, 14:05 UTC")
    );

    // Select all, then approve the selection.
    page.click(".bulk input[type=checkbox]");
    page.until("the selection", |page| page.text().contains("2 selected"))
        .await;
    let log = FetchLog::start();
    page.click(".bulk button.button-primary");
    page.until("both failures", |page| {
        page.root
            .query_selector_all("li.request [role=alert]")
            .unwrap()
            .length()
            == 2
    })
    .await;

    assert_eq!(
        log.requests()
            .iter()
            .filter(|r| r.starts_with("POST /api/access-requests/"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "POST /api/access-requests/ar1/approve",
            "POST /api/access-requests/ar2/approve"
        ]
    );
    // Both stay, still selected, each saying why and what to do; the count is unchanged.
    assert_eq!(texts(&page, ".head .badge"), ["2"]);
    assert!(page.text().contains("2 selected"));
    let failure = page
        .find("li.request [role=alert]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        failure.starts_with("Couldn't approve this request"),
        "{failure}"
    );
    assert!(failure.contains("Reload the page"), "{failure}");
    let toast = page.find(".toast").unwrap().text_content().unwrap();
    assert!(toast.contains("Couldn't approve 2 requests"), "{toast}");
    // And the buttons work again.
    assert_eq!(page.attr("li.request button", "disabled"), None);
}
