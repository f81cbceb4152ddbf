use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use partner_api::audit::{AuditAction, AuditEvent, AuditFilterChoices, AuditPage, AuditPerson};
use partner_api::expiry::{AccessEnd, AccessPeriod};
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use partner_workspaces::api::ApiError;
use partner_workspaces::components::access_end_select::{AccessEndSelect, EndChoice, EndState};
use partner_workspaces::components::audit_log_entries::{AuditLogEntries, AuditLogState};
use partner_workspaces::components::audit_log_filters::AuditLogFilters;
use partner_workspaces::params::audit_log::AuditLogParams;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Event, EventInit, HtmlInputElement, HtmlSelectElement};

use crate::support::{Mounted, mount};

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

fn wanda() -> AuditPerson {
    AuditPerson {
        id: Some("u_wanda".into()),
        name: "Wanda Wells".to_owned(),
        email: "wanda@acme.test".to_owned(),
    }
}

fn event(cursor: &str, action: AuditAction) -> AuditEvent {
    AuditEvent {
        cursor: cursor.to_owned(),
        at: "2026-03-12T14:05:09Z".to_owned(),
        actor: Some(wanda()),
        action,
        workspace: Some(WorkspaceRef {
            id: "w_pay".into(),
            name: "Payments API".to_owned(),
        }),
        partner_team: Some(TeamRef {
            id: "t_globex".into(),
            name: "Globex".to_owned(),
            domain: "globex.test".to_owned(),
        }),
        subject: Some(AuditPerson {
            id: Some("u_gary".into()),
            name: "Gary <b>Green</b>".to_owned(),
            email: "gary@globex.test".to_owned(),
        }),
        before: None,
        after: Some("Viewer".to_owned()),
        until: Some("2027-01-12".to_owned()),
        count: None,
    }
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

fn change(element: &web_sys::HtmlElement, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    element
        .dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

fn entries(state: AuditLogState, params: AuditLogParams) -> (Mounted, Calls) {
    let calls = Calls::default();
    let recorded = calls.clone();
    let mounted = mount(move || {
        let cleared = recorded.clone();
        let retried = recorded.clone();
        view! {
            <AuditLogEntries
                state=state
                params=Signal::stored(params)
                on_clear=move |()| cleared.push("clear")
                on_retry=move |()| retried.push("retry")
            />
        }
    });
    (mounted, calls)
}

#[wasm_bindgen_test]
async fn each_entry_reads_as_its_sentence_with_its_time_and_pages_by_cursor() {
    let params = AuditLogParams::default().with_action(Some(AuditAction::PartnerInvited));
    let page_of = AuditPage {
        entries: vec![
            event("c2", AuditAction::PartnerInvited),
            event("c1", AuditAction::PartnerInvited),
        ],
        next: Some("c1".to_owned()),
    };
    let (page, _) = entries(AuditLogState::Loaded(page_of), params.clone());
    page.until("two entries", |page| {
        page.root
            .query_selector_all("[data-testid=audit-entry]")
            .unwrap()
            .length()
            == 2
    })
    .await;
    let sentences = texts(&page, "[data-testid=audit-entry] .sentence");
    // Names are text, never markup.
    assert_eq!(
        sentences[0],
        "Wanda Wells invited Gary <b>Green</b> (Globex) to Payments API as Viewer until 2027-01-12"
    );
    assert!(page.find("b").is_none());
    assert_eq!(
        page.attr("[data-testid=audit-entry] time", "title")
            .as_deref(),
        Some("12 Mar 2026, 14:05 UTC")
    );
    assert_eq!(
        texts(&page, "nav a"),
        ["Older entries"],
        "the newest page has no Newest link"
    );
    assert_eq!(page.attr("nav a", "href"), Some(params.older("c1").href()));

    // An older page offers the newest again, and no Older link at the end.
    let older = params.older("c1");
    let (page, _) = entries(
        AuditLogState::Loaded(AuditPage {
            entries: vec![event("c0", AuditAction::PartnerInvited)],
            next: None,
        }),
        older.clone(),
    );
    page.until("the entry", |page| {
        page.find("[data-testid=audit-entry]").is_some()
    })
    .await;
    assert_eq!(texts(&page, "nav a"), ["Newest"]);
    assert_eq!(page.attr("nav a", "href"), Some(older.newest().href()));
}

#[wasm_bindgen_test]
async fn nothing_that_matches_says_so_and_clears_and_a_failure_offers_retry() {
    let filtered = AuditLogParams::default().with_action(Some(AuditAction::TeamRenamed));
    let (page, calls) = entries(
        AuditLogState::Loaded(AuditPage {
            entries: vec![],
            next: None,
        }),
        filtered,
    );
    page.until("the empty state", |page| {
        page.text().contains("No entries match these filters")
    })
    .await;
    page.click("button");
    assert_eq!(calls.list(), ["clear"]);

    let (page, calls) = entries(
        AuditLogState::Failed(ApiError::Network),
        AuditLogParams::default(),
    );
    page.until("the error", |page| page.text().contains("Retry"))
        .await;
    page.click("button");
    assert_eq!(calls.list(), ["retry"]);
}

#[wasm_bindgen_test]
async fn the_filters_show_the_url_and_each_change_starts_from_the_newest_entry() {
    let calls = Calls::default();
    let recorded = calls.clone();
    let params = AuditLogParams::default()
        .with_actor(Some("u_wanda".into()))
        .older("c9");
    let choices = AuditFilterChoices {
        people: vec![
            UserRef {
                id: "u_paul".into(),
                name: "Paul Parker".to_owned(),
                email: "paul@acme.test".to_owned(),
            },
            UserRef {
                id: "u_wanda".into(),
                name: "Wanda Wells".to_owned(),
                email: "wanda@acme.test".to_owned(),
            },
        ],
        workspaces: vec![],
        partner_teams: vec![],
    };
    let shown = params.clone();
    let page = mount(move || {
        view! {
            <AuditLogFilters
                params=Signal::stored(shown)
                choices=Signal::stored(Some(choices))
                on_change=move |next: AuditLogParams| recorded.push(next.to_string())
            />
        }
    });
    page.until("the people", |page| {
        texts(page, "#audit-actor option").len() == 3
    })
    .await;
    assert_eq!(
        texts(&page, "#audit-actor option"),
        ["Anyone", "Paul Parker", "Wanda Wells"]
    );
    let actor: HtmlSelectElement = page.find("#audit-actor").unwrap().unchecked_into();
    assert_eq!(actor.value(), "u_wanda");
    assert_eq!(
        page.attr("label[for=audit-action]", "for").as_deref(),
        Some("audit-action")
    );

    let action: HtmlSelectElement = page.find("#audit-action").unwrap().unchecked_into();
    action.set_value("workspace.multi_partner_on");
    change(&action, "change");
    let from: HtmlInputElement = page.find("#audit-from").unwrap().unchecked_into();
    from.set_value("2026-02-01");
    change(&from, "change");
    assert_eq!(
        calls.list(),
        [
            "?actor=u_wanda&action=workspace.multi_partner_on",
            "?actor=u_wanda&from=2026-02-01"
        ]
    );
    page.click("button");
    assert_eq!(calls.list().last().map(String::as_str), Some(""));
}

#[wasm_bindgen_test]
async fn access_ends_names_the_team_default_and_asks_for_a_day_after_today() {
    let state = EndState::new();
    let page = mount(move || {
        view! {
            <AccessEndSelect
                id="ends"
                state=state
                team_default=Signal::stored(Some(AccessPeriod::Days30))
            />
        }
    });
    page.until("the options", |page| {
        texts(page, "#ends option").len() == EndChoice::ALL.len()
    })
    .await;
    assert_eq!(
        texts(&page, "#ends option"),
        [
            "Team default (30 days)",
            "7 days",
            "30 days",
            "90 days",
            "No end",
            "On a date…"
        ]
    );
    assert_eq!(state.end(), Some(AccessEnd::TeamDefault));
    assert!(page.find("#ends-day").is_none());

    let select: HtmlSelectElement = page.find("#ends").unwrap().unchecked_into();
    select.set_value("on");
    change(&select, "change");
    page.until("the date input", |page| page.find("#ends-day").is_some())
        .await;
    assert_eq!(texts(&page, "label[for=ends-day]"), ["End date"]);
    // No day yet: the error shows, tied to the input.
    assert_eq!(state.end(), None);
    page.until("the error", |page| page.find("#ends-error").is_some())
        .await;
    assert_eq!(
        page.attr("#ends-day", "aria-describedby").as_deref(),
        Some("ends-error")
    );
    let day: HtmlInputElement = page.find("#ends-day").unwrap().unchecked_into();
    day.set_value("2999-01-12");
    change(&day, "input");
    assert_eq!(state.end(), Some(AccessEnd::On("2999-01-12".to_owned())));
}
