use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::team::{HeldGrant, HeldRole, RemovalImpact, TeamMember};
use partner_api::workspaces::Publisher;
use partner_api::{Paginated, PartnerRole, TeamRole, UserId, WorkspaceRole};
use partner_workspaces::components::join_signup_form::JoinSignupForm;
use partner_workspaces::components::removal_summary::RemovalSummary;
use partner_workspaces::components::team_member_table::TeamMemberTable;
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::session::Session;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{FetchLog, mount};

fn person(id: &str, name: &str, email: &str) -> UserRef {
    UserRef {
        id: id.into(),
        name: name.to_owned(),
        email: email.to_owned(),
    }
}

fn member(id: &str, name: &str, role: TeamRole, manager: bool) -> TeamMember {
    let email = format!(
        "{}@acme.test",
        name.split(' ').next().unwrap().to_lowercase()
    );
    TeamMember {
        user: person(id, name, &email),
        team_role: role,
        is_partner_manager: manager,
        last_sign_in_at: None,
    }
}

fn grant(workspace: &str, publisher: &str, role: PartnerRole) -> HeldGrant {
    HeldGrant {
        publisher: Publisher {
            id: format!("t_{publisher}").into(),
            name: publisher.to_owned(),
        },
        workspace: WorkspaceRef {
            id: format!("w_{workspace}").into(),
            name: workspace.to_owned(),
        },
        role,
    }
}

#[wasm_bindgen_test]
async fn the_removal_summary_names_each_grant_role_and_session_and_how_many_more() {
    let impact = RemovalImpact {
        member: member("u_mike", "Mike Moore", TeamRole::Member, false),
        partner_grants: vec![
            grant("Hooli Search API", "Hooli", PartnerRole::Viewer),
            grant("<b>Orders</b>", "Initech", PartnerRole::Editor),
        ],
        partner_grants_total: 5,
        workspace_roles: vec![HeldRole {
            workspace: WorkspaceRef {
                id: "w_pay".into(),
                name: "Payments API".to_owned(),
            },
            role: WorkspaceRole::Editor,
        }],
        workspace_roles_total: 1,
        sessions: 2,
        blocked: None,
    };
    let page = mount(move || view! { <RemovalSummary impact=impact team="Acme Payments" /> });
    page.until("the summary", |page| {
        page.text().contains("Hooli Search API")
    })
    .await;
    let text = page.text();
    assert!(
        text.contains("Mike Moore (mike@acme.test) leaves Acme Payments at once."),
        "{text}"
    );
    assert!(
        text.contains("Access they lose in other companies' workspaces (5)"),
        "{text}"
    );
    assert!(text.contains("Hooli · Viewer"), "{text}");
    assert!(text.contains("Initech · Editor"), "{text}");
    assert!(text.contains("and 3 more"), "{text}");
    assert!(
        text.contains("Roles they lose in your team's workspaces (1)"),
        "{text}"
    );
    assert!(text.contains("Payments API"), "{text}");
    assert!(
        text.contains("They're signed out on 2 devices at once."),
        "{text}"
    );
    // A name is text, never markup.
    assert!(text.contains("<b>Orders</b>"), "{text}");
    assert!(page.find("[data-testid=removal-grants] b").is_none());
    // Only one list is capped.
    let roles = page.find("[data-testid=removal-roles]").unwrap();
    assert!(!roles.text_content().unwrap().contains("more"));
}

#[wasm_bindgen_test]
async fn someone_with_nothing_to_lose_reads_so() {
    let impact = RemovalImpact {
        member: member("u_wanda", "Wanda Wells", TeamRole::Member, false),
        partner_grants: Vec::new(),
        partner_grants_total: 0,
        workspace_roles: Vec::new(),
        workspace_roles_total: 0,
        sessions: 0,
        blocked: None,
    };
    let page = mount(move || view! { <RemovalSummary impact=impact team="Acme Payments" /> });
    page.until("the summary", |page| page.text().contains("Wanda"))
        .await;
    let text = page.text();
    assert!(
        text.contains("They have no access to other companies' workspaces and no workspace roles."),
        "{text}"
    );
    assert!(
        text.contains("They aren't signed in anywhere right now."),
        "{text}"
    );
    assert!(page.find("[data-testid=removal-grants]").is_none());
}

/// The members given, as the table shows them to someone who may (or may not) manage them.
fn members_page() -> Paginated<TeamMember> {
    Paginated {
        items: vec![
            member("u_alice", "Alice Adams", TeamRole::Admin, false),
            member("u_paul", "Paul Parker", TeamRole::Member, true),
        ],
        total: 2,
        page: 1,
        per_page: 50,
    }
}

#[wasm_bindgen_test]
async fn team_admins_get_a_labelled_role_select_a_manager_switch_and_remove() {
    let removed = Arc::new(Mutex::new(Vec::<String>::new()));
    let recorded = Arc::clone(&removed);
    let can_manage = RwSignal::new(false);
    let page = mount(move || {
        Session::provide();
        view! {
            <ToastRegion>
                <TeamMemberTable
                    page=members_page()
                    can_manage=can_manage
                    me=Some(UserId::from("u_alice"))
                    q=""
                    on_remove=move |m: TeamMember| recorded.lock().unwrap().push(m.user.name)
                />
            </ToastRegion>
        }
    });
    page.until("the rows", |page| page.text().contains("Paul Parker"))
        .await;

    // A member sees roles and Partner Managers, and can change nothing.
    assert!(page.find("select").is_none());
    assert!(page.find("input[type=checkbox]").is_none());
    assert!(page.find("button").is_none());
    let text = page.text();
    assert!(text.contains("Alice Adams (you)"), "{text}");
    assert!(text.contains("Team Admin"), "{text}");
    assert!(text.contains("Never signed in"), "{text}");
    let paul = page.find("tr[data-member='paul@acme.test']").unwrap();
    assert!(paul.text_content().unwrap().contains("Partner Manager"));

    // A Team Admin gets the controls, each labelled with the person's name.
    can_manage.set(true);
    page.until("the controls", |page| page.find("select").is_some())
        .await;
    assert_eq!(
        page.attr("label[for='member-role-u_paul']", "class")
            .map(|c| c.contains("visually-hidden")),
        Some(true)
    );
    let label = page.find("label[for='member-role-u_paul']").unwrap();
    assert_eq!(label.text_content().unwrap(), "Team role of Paul Parker");
    let select = page.find("#member-role-u_paul").unwrap();
    let value = js_sys::Reflect::get(&select, &"value".into()).unwrap();
    assert_eq!(value.as_string().as_deref(), Some("member"));
    let switch: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(page.find("#member-manager-u_paul").unwrap());
    assert_eq!(switch.get_attribute("role").as_deref(), Some("switch"));
    assert!(switch.checked());
    let label = page.find("label[for='member-manager-u_paul']").unwrap();
    assert_eq!(
        label.text_content().unwrap(),
        "Partner Manager: Paul Parker"
    );

    page.click("tr[data-member='paul@acme.test'] button");
    assert_eq!(removed.lock().unwrap().as_slice(), ["Paul Parker"]);
    assert_eq!(
        page.attr("tr[data-member='paul@acme.test'] button", "aria-label")
            .as_deref(),
        Some("Remove Paul Parker")
    );
}

#[wasm_bindgen_test]
async fn a_search_that_finds_no_one_says_what_was_searched() {
    let page = mount(move || {
        Session::provide();
        view! {
            <ToastRegion>
                <TeamMemberTable
                    page=Paginated { items: Vec::new(), total: 0, page: 1, per_page: 50 }
                    can_manage=true
                    me=None
                    q=" zed "
                    on_remove=|_| {}
                />
            </ToastRegion>
        }
    });
    page.until("the empty state", |page| {
        page.text().contains("No members found")
    })
    .await;
    assert!(
        page.text()
            .contains("No one in your team has a name or email with “zed”.")
    );
    assert!(page.find("table").is_none());
}

#[wasm_bindgen_test]
async fn the_sign_up_form_checks_name_and_password_before_sending_anything() {
    let log = FetchLog::start();
    let page = mount(move || {
        view! {
            <JoinSignupForm
                token="tok"
                email="newbie@acme.test"
                team="Acme Payments"
                on_joined=|_| {}
            />
        }
    });
    page.until("the form", |page| page.find("#join-name").is_some())
        .await;
    assert!(page.text().contains("newbie@acme.test"));

    page.click("button[type=submit]");
    page.until("the field errors", |page| {
        page.text().contains("Enter your name.")
    })
    .await;
    assert!(page.text().contains("Choose a password."));
    assert_eq!(
        page.attr("#join-name", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(page.focused_id().as_deref(), Some("join-name"));

    page.type_into("#join-name", "Newbie Nash");
    page.type_into("#join-password", "too-short");
    page.until("the password's error", |page| {
        page.text().contains("Use at least 12 characters.")
    })
    .await;
    assert!(!page.text().contains("Enter your name."));
    page.click("button[type=submit]");
    assert_eq!(page.focused_id().as_deref(), Some("join-password"));
    assert_eq!(
        log.count("POST /api/invitations/tok/accept"),
        0,
        "{:?}",
        log.requests()
    );
}
