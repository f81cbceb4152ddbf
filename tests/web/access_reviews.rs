use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use partner_api::PartnerRole;
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::reviews::{ReviewDecision, ReviewItem};
use partner_api::session::UserRef;
use partner_workspaces::components::review_grants_table::{Decided, ReviewGrantsTable, grant_id};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

use crate::support::{Mounted, mount};

fn item(name: &str, ended: bool) -> ReviewItem {
    ReviewItem {
        person: UserRef {
            id: format!("u_{name}").into(),
            name: name.to_owned(),
            email: format!("{name}@globex.test"),
        },
        partner_team: TeamRef {
            id: "t_globex".into(),
            name: "Globex".to_owned(),
            domain: "globex.test".to_owned(),
        },
        workspace: WorkspaceRef {
            id: "w_pay".into(),
            name: "Payments API".to_owned(),
        },
        role: PartnerRole::Viewer,
        since: "2026-01-01T00:00:00Z".to_owned(),
        last_opened_at: None,
        decision: None,
        decided_by: None,
        ended,
    }
}

/// The decisions the table asked for: whose grants, and which decision.
type Calls = Arc<Mutex<Vec<(Vec<String>, ReviewDecision)>>>;

struct Table {
    page: Mounted,
    decided: RwSignal<Decided>,
    selected: RwSignal<BTreeSet<String>>,
    editable: RwSignal<bool>,
    calls: Calls,
}

fn table(items: Vec<ReviewItem>) -> Table {
    let decided = RwSignal::new(Decided::new());
    let selected = RwSignal::new(BTreeSet::new());
    let editable = RwSignal::new(true);
    let calls: Calls = Arc::new(Mutex::new(Vec::new()));
    let log = calls.clone();
    let page = mount(move || {
        view! {
            <ReviewGrantsTable
                items=Signal::derive(move || items.clone())
                decided=decided
                pending=Signal::derive(BTreeSet::new)
                selected=selected
                editable=editable
                on_decide=move |(chosen, decision): (Vec<ReviewItem>, ReviewDecision)| {
                    log.lock()
                        .unwrap()
                        .push((chosen.iter().map(|i| i.person.name.clone()).collect(), decision));
                }
            />
        }
    });
    Table {
        page,
        decided,
        selected,
        editable,
        calls,
    }
}

const FIRST_KEEP: &str = "[data-testid=review-grant] button.keep";

#[wasm_bindgen_test]
async fn a_decision_presses_its_button_and_focus_stays_on_it() {
    let gina = item("Gina", false);
    let t = table(vec![gina.clone(), item("Gary", false)]);
    t.page
        .until("two rows", |p| p.find(FIRST_KEEP).is_some())
        .await;
    assert_eq!(
        t.page.attr(FIRST_KEEP, "aria-pressed").as_deref(),
        Some("false")
    );
    let button: HtmlElement = t.page.find(FIRST_KEEP).unwrap().unchecked_into();
    button.focus().unwrap();
    t.page.click(FIRST_KEEP);
    assert_eq!(
        *t.calls.lock().unwrap(),
        [(vec!["Gina".to_owned()], ReviewDecision::Keep)]
    );
    // The server's answer arrives: the same button shows pressed, and keeps focus.
    t.decided
        .update(|d| _ = d.insert(grant_id(&gina), (ReviewDecision::Keep, None)));
    t.page
        .until("Keep pressed", |p| {
            p.attr(FIRST_KEEP, "aria-pressed").as_deref() == Some("true")
        })
        .await;
    let focused = document().active_element().unwrap();
    assert!(focused.is_same_node(Some(&button)), "focus moved away");
    // Pressing the decision already made sends nothing.
    t.page.click(FIRST_KEEP);
    assert_eq!(t.calls.lock().unwrap().len(), 1);
    assert_eq!(
        t.page
            .attr("[data-testid=review-grant] [role=group]", "aria-label")
            .as_deref(),
        Some("Decision for Gina in Payments API")
    );
}

#[wasm_bindgen_test]
async fn an_ended_grant_has_nothing_to_decide_and_read_only_shows_badges() {
    let t = table(vec![item("Gina", false), item("Ed", true)]);
    t.page
        .until("the rows", |p| p.text().contains("Access ended"))
        .await;
    let checkboxes = t
        .page
        .root
        .query_selector_all("[data-testid=review-grant] input[type=checkbox]")
        .unwrap()
        .length();
    assert_eq!(
        checkboxes, 1,
        "only the grant that can be decided is selectable"
    );
    t.selected.set([grant_id(&item("Gina", false))].into());
    t.editable.set(false);
    t.page
        .until("read-only", |p| p.find("button").is_none())
        .await;
    assert!(t.page.text().contains("Undecided"));
    assert!(t.page.find("input").is_none());
}
