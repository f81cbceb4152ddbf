use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::params::ParamsMap;
use partner_api::access_requests::{AccessRequestStatus, MyAccessRequest};
use partner_api::partnerships::TeamRef;
use partner_api::session::{MyTeam, UserRef};
use partner_api::workspaces::{
    Members, MigrationState, PartnerMember, Publisher, PublisherMember, Visibility, Workspace,
    WorkspacePermissions,
};
use partner_api::{Me, PartnerRole, Plan, TeamRole, WorkspaceRole, WorkspaceTab, YourRole};
use partner_workspaces::components::member_list::MemberList;
use partner_workspaces::components::no_access::NoAccess;
use partner_workspaces::components::workspace_table::{WorkspaceLayout, WorkspaceTable};
use partner_workspaces::pages::workspaces::WorkspacesUrl;
use partner_workspaces::session::Session;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, Mounted, mount};

fn workspace(id: &str, name: &str, publisher: &str, role: YourRole) -> Workspace {
    Workspace {
        id: id.into(),
        name: name.to_owned(),
        summary: format!("What {name} is for."),
        publisher: Publisher {
            id: format!("t_{publisher}").into(),
            name: publisher.to_owned(),
        },
        visibility: Visibility::Partner,
        multi_partner_mode: false,
        legacy: false,
        migration_state: None,
        sso_required: false,
        your_role: role,
        permissions: WorkspacePermissions::default(),
    }
}

/// Ivan's External Workspaces, as the API orders them (publisher name, then workspace).
fn ivans_workspaces() -> Vec<Workspace> {
    vec![
        Workspace {
            multi_partner_mode: true,
            ..workspace(
                "w_fraud",
                "Fraud Signals",
                "Acme Payments",
                YourRole::PartnerViewer,
            )
        },
        workspace(
            "w_pay",
            "Payments API",
            "Acme Payments",
            YourRole::PartnerEditor,
        ),
        Workspace {
            legacy: true,
            migration_state: Some(MigrationState::Legacy),
            ..workspace(
                "w_refunds",
                "Refunds API",
                "Acme Payments",
                YourRole::PartnerViewer,
            )
        },
        workspace(
            "w_search",
            "Hooli Search API",
            "Hooli",
            YourRole::PartnerViewer,
        ),
    ]
}

fn texts(root: &Mounted, selector: &str) -> Vec<String> {
    let list = root.root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
                .inner_text()
                .trim()
                .to_owned()
        })
        .collect()
}

fn params(pairs: &[(&'static str, &str)]) -> ParamsMap {
    let mut map = ParamsMap::new();
    for (key, value) in pairs {
        map.insert(*key, (*value).to_owned());
    }
    map
}

#[wasm_bindgen_test]
fn the_tab_search_and_page_are_read_from_the_query() {
    assert_eq!(
        WorkspacesUrl::from_query(&params(&[("tab", "shared_partner"), ("q", " hooli ")])),
        WorkspacesUrl {
            tab: WorkspaceTab::SharedPartner,
            q: "hooli".to_owned(),
            page: 1,
        }
    );
    assert_eq!(
        WorkspacesUrl::from_query(&params(&[("tab", "mine"), ("page", "3")])).to_string(),
        "/workspaces?tab=mine&page=3"
    );
    // Junk falls back to All on the first page, and the page replaces the address.
    let junk = params(&[("tab", "overview"), ("page", "x")]);
    assert_eq!(WorkspacesUrl::from_query(&junk), WorkspacesUrl::default());
    assert!(WorkspacesUrl::needs_replacing(
        junk.get_str("tab"),
        junk.get_str("page")
    ));
    assert_eq!(WorkspacesUrl::from_query(&junk).to_string(), "/workspaces");
    assert!(!WorkspacesUrl::needs_replacing(
        Some("shared_partner"),
        Some("2")
    ));
}

#[wasm_bindgen_test]
async fn external_workspaces_are_grouped_by_publisher_with_role_status_and_open() {
    let table = mount(|| {
        view! { <WorkspaceTable workspaces=ivans_workspaces() layout=WorkspaceLayout::ByPublisher /> }
    });
    table
        .until("the table", |t| t.find("tbody[data-publisher]").is_some())
        .await;

    let groups = texts(&table, "tbody[data-publisher] tr.group");
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(groups[0].starts_with("Acme Payments"), "{groups:?}");
    assert!(groups[0].contains("3 workspaces"), "{groups:?}");
    assert!(groups[1].starts_with("Hooli"), "{groups:?}");
    assert!(groups[1].contains("1 workspace"), "{groups:?}");
    assert!(table.find("tr.group svg").is_some(), "a building icon");

    assert_eq!(
        texts(&table, "tbody[data-publisher='Acme Payments'] a.name"),
        ["Fraud Signals", "Payments API", "Refunds API"]
    );
    assert_eq!(
        texts(&table, "tbody[data-publisher='Hooli'] a.name"),
        ["Hooli Search API"]
    );

    let refunds = texts(&table, "tr[data-workspace='w_refunds']").remove(0);
    assert!(refunds.contains("Legacy"), "{refunds}");
    assert!(refunds.contains("Partner Viewer"), "{refunds}");
    assert!(refunds.contains("What Refunds API is for."), "{refunds}");
    let payments = texts(&table, "tr[data-workspace='w_pay']").remove(0);
    assert!(payments.contains("Partner Editor"), "{payments}");
    assert!(!payments.contains("Legacy"), "{payments}");
    let fraud = texts(&table, "tr[data-workspace='w_fraud']").remove(0);
    assert!(fraud.contains("Multi-partner mode"), "{fraud}");

    let open = table
        .find("tr[data-workspace='w_search'] a.open")
        .expect("an Open link");
    assert_eq!(open.text_content().unwrap().trim(), "Open");
    assert_eq!(
        open.get_attribute("href").as_deref(),
        Some("/workspace/w_search")
    );
    assert_eq!(
        open.get_attribute("aria-label").as_deref(),
        Some("Open Hooli Search API")
    );
}

#[wasm_bindgen_test]
async fn a_teams_own_list_marks_partner_workspaces_and_multi_partner_mode() {
    let own = vec![
        Workspace {
            multi_partner_mode: true,
            ..workspace("w_fraud", "Fraud Signals", "Acme Payments", YourRole::Admin)
        },
        Workspace {
            visibility: Visibility::Internal,
            ..workspace(
                "w_tools",
                "Internal Tools",
                "Acme Payments",
                YourRole::Editor,
            )
        },
    ];
    let table = mount(move || view! { <WorkspaceTable workspaces=own /> });
    table
        .until("the table", |t| t.find("tr[data-workspace]").is_some())
        .await;

    assert!(
        table.find("tr.group").is_none(),
        "one list, no publisher groups"
    );
    let fraud = texts(&table, "tr[data-workspace='w_fraud']").remove(0);
    assert!(fraud.contains("Partner"), "{fraud}");
    assert!(fraud.contains("Multi-partner mode"), "{fraud}");
    assert!(fraud.contains("Workspace Admin"), "{fraud}");
    let tools = texts(&table, "tr[data-workspace='w_tools']").remove(0);
    assert!(tools.contains("Internal"), "{tools}");
    assert!(!tools.contains("Partner"), "{tools}");
}

fn person(id: &str, name: &str, domain: &str) -> UserRef {
    UserRef {
        id: id.into(),
        name: name.to_owned(),
        email: format!("{}@{domain}", id.trim_start_matches("u_")),
    }
}

#[wasm_bindgen_test]
async fn members_show_the_publisher_then_each_partner_team() {
    let members = Members {
        publisher_members: vec![PublisherMember {
            user: person("u_wanda", "Wanda Wells", "acme.test"),
            role: WorkspaceRole::Admin,
        }],
        publisher_members_total: 1,
        partners_total: 2,
        partners: vec![
            PartnerMember {
                ends_at: None,
                user: person("u_uma", "Uma Ueda", "umbrella.test"),
                team: TeamRef {
                    id: "t_umbrella".into(),
                    name: "Umbrella".to_owned(),
                    domain: "umbrella.test".to_owned(),
                },
                sso_enforced: false,
                role: PartnerRole::Viewer,
                lead: false,
                invited_by: None,
            },
            PartnerMember {
                ends_at: None,
                user: person("u_gina", "Gina Gray", "globex.test"),
                team: TeamRef {
                    id: "t_globex".into(),
                    name: "Globex".to_owned(),
                    domain: "globex.test".to_owned(),
                },
                sso_enforced: true,
                role: PartnerRole::Editor,
                lead: false,
                invited_by: None,
            },
        ],
    };
    let list = mount(move || view! { <MemberList members=members publisher="Acme Payments" /> });
    list.until("the members", |l| l.text().contains("Wanda Wells"))
        .await;

    assert_eq!(
        texts(&list, "section[data-team] h3"),
        ["Acme Payments", "Globex", "Umbrella"]
    );
    let globex = texts(&list, "section[data-team='Globex']").remove(0);
    assert!(globex.contains("Gina Gray"), "{globex}");
    assert!(globex.contains("Partner Editor"), "{globex}");
    assert!(globex.contains("SSO enforced"), "{globex}");
    let umbrella = texts(&list, "section[data-team='Umbrella']").remove(0);
    assert!(umbrella.contains("SSO not enforced"), "{umbrella}");
    assert!(!umbrella.contains("Gina"), "{umbrella}");
    assert!(
        texts(&list, "[role='note']").is_empty(),
        "everyone is listed"
    );
}

#[wasm_bindgen_test]
async fn a_capped_member_list_says_how_many_more_there_are() {
    let members = Members {
        publisher_members: vec![PublisherMember {
            user: person("u_wanda", "Wanda Wells", "acme.test"),
            role: WorkspaceRole::Admin,
        }],
        publisher_members_total: 1,
        partners: vec![PartnerMember {
            ends_at: None,
            user: person("u_gina", "Gina Gray", "globex.test"),
            team: TeamRef {
                id: "t_globex".into(),
                name: "Globex".to_owned(),
                domain: "globex.test".to_owned(),
            },
            sso_enforced: true,
            role: PartnerRole::Viewer,
            lead: false,
            invited_by: None,
        }],
        partners_total: 42,
    };
    let list = mount(move || view! { <MemberList members=members publisher="Acme Payments" /> });
    list.until("the members", |l| l.text().contains("Gina Gray"))
        .await;

    assert_eq!(
        texts(&list, "[role='note']"),
        ["41 more partners aren't listed. Search by name or email to find them."]
    );
    let globex = texts(&list, "section[data-team='Globex']").remove(0);
    assert!(globex.contains("1 person listed"), "{globex}");
}

fn gina() -> Me {
    Me {
        user: person("u_gina", "Gina Gray", "globex.test"),
        team: Some(MyTeam {
            id: "t_globex".into(),
            name: "Globex".to_owned(),
            plan: Plan::Professional,
        }),
        team_role: Some(TeamRole::Member),
        is_partner_manager: false,
    }
}

fn no_access_page(me: Me, request: Option<MyAccessRequest>) -> Mounted {
    mount(move || {
        Session::provide();
        view! {
            <Router>
                <NoAccess workspace_id="w_fraud" me=me request=request />
            </Router>
        }
    })
}

#[wasm_bindgen_test]
async fn without_access_the_page_names_the_account_and_offers_switch_and_request() {
    let page = no_access_page(gina(), None);
    page.until("the page", |p| p.text().contains("signed in as"))
        .await;

    let text = page.text();
    assert!(
        text.contains("You're signed in as gina@globex.test (Globex)."),
        "{text}"
    );
    assert!(text.contains("This workspace isn't shared with this account."));
    assert!(page.find("label[for=access-message]").is_some());
    let buttons = texts(&page, "button");
    assert!(
        buttons.contains(&"Switch account".to_owned()),
        "{buttons:?}"
    );
    assert!(
        buttons.contains(&"Request access".to_owned()),
        "{buttons:?}"
    );

    // The test runner's server has no API: the request goes out once and the failure is
    // explained where the button is.
    let log = FetchLog::start();
    page.type_into("#access-message", "I build Globex's checkout.");
    page.click("button[type=submit]");
    page.click("button[type=submit]");
    page.until("the failure", |p| {
        p.find(".form-error[role=alert]").is_some()
    })
    .await;
    assert_eq!(
        log.count("POST /api/workspaces/w_fraud/access-requests"),
        1,
        "{:?}",
        log.requests()
    );
}

#[wasm_bindgen_test]
async fn a_pending_request_is_shown_instead_of_the_form() {
    let pending = MyAccessRequest {
        id: "r1".into(),
        role: PartnerRole::Viewer,
        status: AccessRequestStatus::Pending,
        created_at: "2026-03-12T09:30:00Z".to_owned(),
    };
    let page = no_access_page(gina(), Some(pending));
    page.until("the page", |p| p.text().contains("signed in as"))
        .await;

    let text = page.text();
    assert!(text.contains("Your request is pending."), "{text}");
    assert!(text.contains("You asked for access"), "{text}");
    assert!(page.find("#access-message").is_none());
    assert!(!texts(&page, "button").contains(&"Request access".to_owned()));
}

#[wasm_bindgen_test]
async fn someone_without_a_team_is_told_why_they_cannot_ask() {
    let ed = Me {
        user: person("u_ed", "Ed Evans", "globex.test"),
        team: None,
        team_role: None,
        is_partner_manager: false,
    };
    let page = no_access_page(ed, None);
    page.until("the page", |p| p.text().contains("signed in as"))
        .await;

    assert!(page.text().contains("ed@globex.test (no team)"));
    assert!(page.text().contains("doesn't belong to a team"));
    assert!(page.find("#access-message").is_none());
}

#[wasm_bindgen_test]
async fn a_workspace_that_requires_sso_keeps_its_row_and_link_with_a_badge() {
    let table = mount(|| {
        let mut workspaces = ivans_workspaces();
        workspaces[3].sso_required = true;
        workspaces[3].summary = String::new();
        view! { <WorkspaceTable workspaces=workspaces layout=WorkspaceLayout::ByPublisher /> }
    });
    table
        .until("the table", |t| t.find("tbody[data-publisher]").is_some())
        .await;

    let search = texts(&table, "tr[data-workspace='w_search']").remove(0);
    assert!(search.contains("SSO required"), "{search}");
    assert_eq!(
        table
            .attr("tr[data-workspace='w_search'] a.name", "href")
            .as_deref(),
        Some("/workspace/w_search")
    );
    let pay = texts(&table, "tr[data-workspace='w_pay']").remove(0);
    assert!(!pay.contains("SSO required"), "{pay}");
}
