use leptos::prelude::*;
use partner_workspaces::components::switch::Switch;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{Mounted, mount};

const SWITCH: &str = "[role=switch]";

/// A switch wired to signals the test controls; `asked` records every value requested.
struct Fixture {
    page: Mounted,
    checked: RwSignal<bool>,
    pending: RwSignal<bool>,
    reason: RwSignal<Option<String>>,
    asked: RwSignal<Vec<bool>>,
}

async fn switch() -> Fixture {
    let checked = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let reason = RwSignal::new(None::<String>);
    let asked = RwSignal::new(Vec::<bool>::new());
    let page = mount(move || {
        view! {
            <Switch
                id="test-mode"
                label="Multi-partner mode"
                description="Partners can't see each other. Your team still sees everyone."
                checked=checked
                pending=pending
                disabled_reason=reason
                on_change=move |wanted| asked.update(|a| a.push(wanted))
            />
        }
    });
    page.until("the switch", |page| page.find(SWITCH).is_some())
        .await;
    Fixture {
        page,
        checked,
        pending,
        reason,
        asked,
    }
}

#[wasm_bindgen_test]
async fn off_and_on_are_announced_and_a_click_asks_for_the_other_state() {
    let f = switch().await;
    let page = &f.page;

    assert_eq!(page.attr(SWITCH, "aria-checked").as_deref(), Some("false"));
    assert_eq!(page.attr(SWITCH, "aria-disabled"), None);
    assert_eq!(page.attr(SWITCH, "aria-busy"), None);
    assert_eq!(page.attr(SWITCH, "type").as_deref(), Some("button"));
    // Named by its label, described by its one-line explanation.
    assert_eq!(
        page.attr(SWITCH, "aria-labelledby").as_deref(),
        Some("test-mode-label")
    );
    assert_eq!(
        page.attr("#test-mode-label", "for").as_deref(),
        Some("test-mode")
    );
    assert_eq!(
        page.attr(SWITCH, "aria-describedby").as_deref(),
        Some("test-mode-description")
    );
    assert!(page.text().contains("Multi-partner mode"));
    assert!(page.text().contains("Your team still sees everyone."));
    assert!(page.text().contains("Off"));

    page.click(SWITCH);
    assert_eq!(f.asked.get_untracked(), [true]);

    // The owner decides the state; the switch shows it.
    f.checked.set(true);
    page.until("the switch on", |page| {
        page.attr(SWITCH, "aria-checked").as_deref() == Some("true")
    })
    .await;
    assert!(page.text().contains("On"));
    page.click(SWITCH);
    assert_eq!(f.asked.get_untracked(), [true, false]);
}

#[wasm_bindgen_test]
async fn while_pending_it_says_saving_and_ignores_clicks() {
    let f = switch().await;
    let page = &f.page;
    f.checked.set(true);
    f.pending.set(true);

    page.until("the pending state", |page| {
        page.attr(SWITCH, "aria-busy").as_deref() == Some("true")
    })
    .await;
    assert_eq!(page.attr(SWITCH, "aria-checked").as_deref(), Some("true"));
    assert_eq!(page.attr(SWITCH, "aria-disabled").as_deref(), Some("true"));
    assert!(page.text().contains("Saving…"));
    page.click(SWITCH);
    assert!(f.asked.get_untracked().is_empty());

    f.pending.set(false);
    page.until("the settled state", |page| {
        page.attr(SWITCH, "aria-busy").is_none()
    })
    .await;
    assert!(!page.text().contains("Saving…"));
    page.click(SWITCH);
    assert_eq!(f.asked.get_untracked(), [false]);
}

#[wasm_bindgen_test]
async fn read_only_it_shows_its_state_and_says_who_can_change_it() {
    let f = switch().await;
    let page = &f.page;
    f.reason.set(Some(
        "Only Workspace Admins and Team Admins can change this.".to_owned(),
    ));

    page.until("the reason", |page| page.find("#test-mode-why").is_some())
        .await;
    assert_eq!(page.attr(SWITCH, "aria-disabled").as_deref(), Some("true"));
    assert_eq!(page.attr(SWITCH, "aria-checked").as_deref(), Some("false"));
    assert_eq!(
        page.attr(SWITCH, "aria-describedby").as_deref(),
        Some("test-mode-description test-mode-why")
    );
    assert!(
        page.text()
            .contains("Only Workspace Admins and Team Admins can change this.")
    );
    // Still focusable, so the reason is found, but a click changes nothing.
    page.click(SWITCH);
    page.click("#test-mode-label");
    assert!(f.asked.get_untracked().is_empty());
}
