use leptos::prelude::*;
use partner_api::partnerships::TeamRef;
use partner_api::session::UserRef;
use partner_api::workspaces::{
    PartnerMember, Publisher, Visibility, Workspace, WorkspacePermissions,
};
use partner_api::{PartnerRole, YourRole};
use partner_workspaces::components::multi_partner_changes::MultiPartnerChanges;
use partner_workspaces::components::multi_partner_setting::MultiPartnerSetting;
use partner_workspaces::components::partner_list::PartnerEntry;
use partner_workspaces::components::toast::ToastRegion;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{HeldPatches, mount};

fn partner(login: &str, name: &str, team: &str, role: PartnerRole) -> PartnerMember {
    let domain = format!("{}.test", team.to_lowercase());
    PartnerMember {
        ends_at: None,
        user: UserRef {
            id: format!("u_{login}").into(),
            name: name.to_owned(),
            email: format!("{login}@{domain}"),
        },
        team: TeamRef {
            id: format!("t_{}", team.to_lowercase()).into(),
            name: team.to_owned(),
            domain,
        },
        sso_enforced: team == "Globex",
        role,
        lead: false,
        invited_by: None,
    }
}

/// Payments API's partners in the demo data.
fn payments_partners() -> Vec<PartnerMember> {
    vec![
        partner("gina", "Gina Gray", "Globex", PartnerRole::Editor),
        partner("gary", "Gary Green", "Globex", PartnerRole::Viewer),
        partner("ivan", "Ivan Ito", "Initech", PartnerRole::Viewer),
    ]
}

fn text_of(page: &crate::support::Mounted, selector: &str) -> String {
    page.find(selector)
        .unwrap_or_else(|| panic!("no {selector}; the DOM says: {}", page.root.inner_html()))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn turning_on_names_each_editor_who_becomes_a_viewer_and_the_teams_that_stop_seeing_each_other()
 {
    let page =
        mount(|| view! { <MultiPartnerChanges turning_on=true partners=payments_partners() /> });
    page.until("the changes", |page| {
        page.find("[data-testid=teams-hidden]").is_some()
    })
    .await;

    let editors = text_of(&page, "[data-testid=editors-to-viewers]");
    assert!(editors.contains("Gina Gray"), "{editors}");
    assert!(editors.contains("gina@globex.test"), "{editors}");
    assert!(
        !editors.contains("Gary Green"),
        "Gary is a Viewer already: {editors}"
    );
    assert!(!editors.contains("Ivan Ito"), "{editors}");
    assert!(page.text().contains("This Partner Editor becomes a Viewer"));

    let teams = text_of(&page, "[data-testid=teams-hidden]");
    assert!(teams.contains("Globex (Gina Gray, Gary Green)"), "{teams}");
    assert!(teams.contains("Initech (Ivan Ito)"), "{teams}");
    assert!(page.text().contains("stop seeing each other"));
    assert!(page.text().contains("Your team still sees everyone."));
}

#[wasm_bindgen_test]
async fn turning_on_without_editors_says_no_role_changes() {
    let partners = vec![
        partner("ivan", "Ivan Ito", "Initech", PartnerRole::Viewer),
        partner("uma", "Uma Ueda", "Umbrella", PartnerRole::Viewer),
    ];
    let page =
        mount(move || view! { <MultiPartnerChanges turning_on=true partners=partners.clone() /> });
    page.until("the changes", |page| {
        page.find("[data-testid=editors-to-viewers]").is_some()
    })
    .await;

    assert_eq!(
        text_of(&page, "[data-testid=editors-to-viewers]"),
        "No partner is an Editor, so no one's role changes."
    );
    let teams = text_of(&page, "[data-testid=teams-hidden]");
    assert!(teams.contains("Initech (Ivan Ito)"), "{teams}");
    assert!(teams.contains("Umbrella (Uma Ueda)"), "{teams}");
}

#[wasm_bindgen_test]
async fn turning_off_names_the_teams_that_see_each_other_again() {
    let page =
        mount(|| view! { <MultiPartnerChanges turning_on=false partners=payments_partners() /> });
    page.until("the changes", |page| {
        page.find("[data-testid=teams-visible]").is_some()
    })
    .await;

    let teams = text_of(&page, "[data-testid=teams-visible]");
    assert!(teams.contains("Globex (Gina Gray, Gary Green)"), "{teams}");
    assert!(teams.contains("Initech (Ivan Ito)"), "{teams}");
    assert!(page.text().contains("will see each other again"));
    assert!(page.find("[data-testid=editors-to-viewers]").is_none());
}

#[wasm_bindgen_test]
async fn a_single_partner_team_is_named_and_nothing_is_hidden_yet() {
    let partners = vec![partner("gary", "Gary Green", "Globex", PartnerRole::Viewer)];
    let page =
        mount(move || view! { <MultiPartnerChanges turning_on=true partners=partners.clone() /> });
    page.until("the changes", |page| page.text().contains("Only Globex"))
        .await;
    assert!(page.text().contains("no one is hidden yet"));
}

fn payments_api(manage_settings: bool) -> Workspace {
    Workspace {
        id: "w_payments".into(),
        name: "Payments API".to_owned(),
        summary: String::new(),
        publisher: Publisher {
            id: "t_acme".into(),
            name: "Acme Payments".to_owned(),
        },
        visibility: Visibility::Partner,
        multi_partner_mode: false,
        legacy: false,
        migration_state: None,
        sso_required: false,
        your_role: if manage_settings {
            YourRole::Admin
        } else {
            YourRole::Editor
        },
        permissions: WorkspacePermissions {
            manage_settings,
            manage_partners: manage_settings,
            lead_own_team: false,
        },
    }
}

/// The multi-partner setting of Payments API with `partners`, once its switch is there.
async fn setting(manage_settings: bool, partners: Vec<PartnerMember>) -> crate::support::Mounted {
    let page = mount(move || {
        let workspace = RwSignal::new(payments_api(manage_settings));
        let partners = RwSignal::new(
            partners
                .into_iter()
                .map(PartnerEntry::new)
                .collect::<Vec<_>>(),
        );
        view! {
            <ToastRegion>
                <MultiPartnerSetting workspace=workspace partners=partners on_seats_changed=|()| {} />
            </ToastRegion>
        }
    });
    page.until("the switch", |page| page.find("[role=switch]").is_some())
        .await;
    page
}

#[wasm_bindgen_test]
async fn confirming_moves_the_switch_at_once_and_a_refusal_rolls_it_back_with_the_reason() {
    // The test runner's server has no /api: the PATCH fails as a broken server would.
    let page = setting(true, payments_partners()).await;
    assert_eq!(
        page.attr("[role=switch]", "aria-checked").as_deref(),
        Some("false")
    );

    page.click("[role=switch]");
    page.until("the dialog", |page| {
        page.find("dialog[open] [data-testid=editors-to-viewers]")
            .is_some()
    })
    .await;
    assert!(text_of(&page, "dialog h2").contains("Turn on multi-partner mode?"));
    assert!(text_of(&page, "dialog [data-testid=editors-to-viewers]").contains("Gina Gray"));
    // Nothing changed before Confirm.
    assert_eq!(
        page.attr("[role=switch]", "aria-checked").as_deref(),
        Some("false")
    );

    let turn_on = page
        .find("dialog .button-primary")
        .expect("the Turn on button");
    assert_eq!(turn_on.text_content().unwrap(), "Turn on");
    let held = HeldPatches::start();
    page.click("dialog .button-primary");

    // It moves at once, while the request is still on its way…
    page.until("the optimistic switch", |page| {
        page.attr("[role=switch]", "aria-checked").as_deref() == Some("true")
            && page.attr("[role=switch]", "aria-busy").as_deref() == Some("true")
    })
    .await;
    assert!(page.text().contains("Saving…"));
    assert!(page.find("dialog[open]").is_none());
    held.release();
    // …and rolls back, saying why, when the server doesn't accept it.
    page.until("the rollback", |page| {
        page.find("[data-testid=multi-partner-error]").is_some()
    })
    .await;
    assert_eq!(
        page.attr("[role=switch]", "aria-checked").as_deref(),
        Some("false")
    );
    assert_eq!(page.attr("[role=switch]", "aria-busy"), None);
    let error = text_of(&page, "[data-testid=multi-partner-error]");
    assert!(
        error.contains("Multi-partner mode is still off."),
        "{error}"
    );
    assert_eq!(
        page.attr("[data-testid=multi-partner-error]", "role")
            .as_deref(),
        Some("alert")
    );
    assert!(page.find("dialog[open]").is_none());
}

#[wasm_bindgen_test]
async fn people_who_cant_change_it_see_it_read_only_with_who_can() {
    let page = setting(false, Vec::new()).await;

    assert_eq!(
        page.attr("[role=switch]", "aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        page.text()
            .contains("Only Workspace Admins and Team Admins can change this.")
    );
    page.click("[role=switch]");
    assert!(page.find("dialog[open]").is_none());
}
