use leptos::prelude::*;
use partner_api::partnerships::TeamRef;
use partner_api::session::UserRef;
use partner_api::workspaces::{Members, PartnerMember};
use partner_api::{PartnerRole, TeamId, UserId};
use partner_workspaces::api::ApiError;
use partner_workspaces::components::lead_team::LeadTeam;
use partner_workspaces::components::partner_list::{PartnerEntry, PartnerList};
use partner_workspaces::components::toast::ToastRegion;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlInputElement, HtmlOptionElement};

use crate::support::{Mounted, mount};

fn user(login: &str, name: &str, domain: &str) -> UserRef {
    UserRef {
        id: format!("u_{login}").into(),
        name: name.to_owned(),
        email: format!("{login}@{domain}"),
    }
}

fn partner(login: &str, name: &str, team: &str, role: PartnerRole, lead: bool) -> PartnerMember {
    let domain = format!("{}.test", team.to_lowercase());
    PartnerMember {
        ends_at: None,
        user: user(login, name, &domain),
        team: TeamRef {
            id: format!("t_{}", team.to_lowercase()).into(),
            name: team.to_owned(),
            domain,
        },
        sso_enforced: false,
        role,
        lead,
        invited_by: None,
    }
}

/// Payments API's partners: Gina is Globex's Partner Lead and invited Gary.
fn payments_partners() -> Vec<PartnerMember> {
    let mut gary = partner("gary", "Gary Green", "Globex", PartnerRole::Viewer, false);
    gary.invited_by = Some(user("gina", "Gina Gray", "globex.test"));
    vec![
        partner("gina", "Gina Gray", "Globex", PartnerRole::Editor, true),
        gary,
        partner("ivan", "Ivan Ito", "Initech", PartnerRole::Viewer, false),
    ]
}

fn checkbox(page: &Mounted, id: &str) -> HtmlInputElement {
    page.find(&format!("#{id}"))
        .unwrap_or_else(|| panic!("no #{id}; the DOM says: {}", page.root.inner_html()))
        .unchecked_into()
}

/// The section a Partner Lead sees, for Gina in Payments API.
async fn lead_team(multi_partner_mode: bool) -> Mounted {
    let page = mount(move || {
        let members = LocalResource::new(|| async {
            Some(Ok::<_, ApiError>(Members {
                publisher_members: Vec::new(),
                publisher_members_total: 0,
                partners: payments_partners(),
                partners_total: 3,
            }))
        });
        view! {
            <ToastRegion>
                <LeadTeam
                    workspace_id="w_payments"
                    workspace_name="Payments API"
                    publisher="Acme Payments"
                    multi_partner_mode=multi_partner_mode
                    team_id=TeamId::from("t_globex")
                    team_name="Globex"
                    me=UserId::from("u_gina")
                    members=members
                />
            </ToastRegion>
        }
    });
    page.until("the team", |page| {
        page.find("[data-testid=lead-team-person]").is_some()
    })
    .await;
    page
}

#[wasm_bindgen_test]
async fn a_partner_lead_sees_their_own_team_only_and_removes_colleagues_but_not_leads() {
    let page = lead_team(false).await;
    let section = page
        .find("[data-testid=lead-team]")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(section.contains("Your team in this workspace"), "{section}");
    assert!(
        section.contains("You're Partner Lead for Globex here"),
        "{section}"
    );
    assert!(!section.contains("Ivan"), "another partner team: {section}");
    assert!(
        !section.contains("Initech"),
        "another partner team: {section}"
    );

    let people = page
        .root
        .query_selector_all("[data-testid=lead-team-person]")
        .unwrap();
    assert_eq!(people.length(), 2);
    let gary = people.item(0).unwrap().text_content().unwrap();
    let gina = people.item(1).unwrap().text_content().unwrap();
    assert!(
        gary.contains("Gary Green") && gary.contains("Invited by Gina Gray"),
        "{gary}"
    );
    assert!(
        gina.contains("Gina Gray (you)") && gina.contains("Partner Lead"),
        "{gina}"
    );
    assert!(
        page.find("button[aria-label='Remove Gary Green']")
            .is_some()
    );
    assert!(
        page.find("button[aria-label='Remove Gina Gray']").is_none(),
        "a Partner Lead is never removable here"
    );

    let editor: HtmlOptionElement = page
        .find("#lead-invite-role option[value=editor]")
        .unwrap()
        .unchecked_into();
    assert!(!editor.disabled());

    page.click("button[aria-label='Remove Gary Green']");
    page.until("the dialog", |page| page.find("dialog[open]").is_some())
        .await;
    let dialog = page.find("dialog[open]").unwrap().text_content().unwrap();
    assert!(dialog.contains("Remove Gary Green?"), "{dialog}");
    assert!(
        dialog.contains("Gary Green (gary@globex.test) loses access to Payments API at once."),
        "{dialog}"
    );
}

#[wasm_bindgen_test]
async fn in_multi_partner_mode_a_lead_invites_viewers_only_and_a_bad_address_is_caught_before_sending()
 {
    let page = lead_team(true).await;
    let editor: HtmlOptionElement = page
        .find("#lead-invite-role option[value=editor]")
        .unwrap()
        .unchecked_into();
    assert!(editor.disabled());
    assert!(
        page.text()
            .contains("Partners can only be Viewers while multi-partner mode is on.")
    );

    page.type_into("#lead-invite-email", "not an address");
    page.click("form button[type=submit]");
    page.until("the field's error", |page| {
        page.attr("#lead-invite-email", "aria-invalid").as_deref() == Some("true")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_partner_lead_checkbox_turns_at_once_and_turns_back_with_the_reason_when_refused() {
    // The test runner's server has no /api: the PUT fails as a broken server would.
    let page = mount(|| {
        let partners = RwSignal::new(
            payments_partners()
                .into_iter()
                .map(PartnerEntry::new)
                .collect::<Vec<_>>(),
        );
        let editor_blocked = Signal::stored(None::<&'static str>);
        view! {
            <ToastRegion>
                <PartnerList
                    workspace_id="w_payments".to_owned()
                    workspace_name="Payments API".to_owned()
                    partners=partners
                    can_manage=true
                    editor_blocked=editor_blocked
                    me=None
                    on_seats_changed=|()| {}
                />
            </ToastRegion>
        }
    });
    page.until("the rows", |page| {
        page.find("#partner-lead-u_gary").is_some()
    })
    .await;
    assert!(checkbox(&page, "partner-lead-u_gina").checked());
    assert!(!checkbox(&page, "partner-lead-u_gary").checked());
    let gary_row = page
        .find("#partner-lead-u_gary")
        .unwrap()
        .closest("[data-testid=partner]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(gary_row.contains("Invited by Gina Gray"), "{gary_row}");
    assert!(
        gary_row.contains("Partner Lead for Gary Green"),
        "{gary_row}"
    );

    page.click("#partner-lead-u_gary");
    assert!(checkbox(&page, "partner-lead-u_gary").checked());
    page.until("the rollback", |page| {
        page.text()
            .contains("Gary Green is still not Partner Lead.")
    })
    .await;
    assert!(!checkbox(&page, "partner-lead-u_gary").checked());
    assert!(!checkbox(&page, "partner-lead-u_gary").disabled());
}
