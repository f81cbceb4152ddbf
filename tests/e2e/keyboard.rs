//! Keyboard-only journeys: only Tab, Shift+Tab, Enter, Space and Escape once the page is
//! open. Every element reached must show where focus is, and a dialog gives focus back to
//! what opened it when it closes.

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// Most Tab presses a journey may take to reach an element before it counts as unreachable.
const MAX_TABS: usize = 80;

/// Presses one key (or chord) on whatever has focus, as a keyboard does.
pub(crate) async fn press(env: &Env, key: Key) {
    env.driver
        .action_chain()
        .send_keys(key)
        .perform()
        .await
        .unwrap();
}

/// Shift+Tab.
async fn press_shift_tab(env: &Env) {
    env.driver
        .action_chain()
        .key_down(Key::Shift)
        .send_keys(Key::Tab)
        .key_up(Key::Shift)
        .perform()
        .await
        .unwrap();
}

/// Runs a JS predicate `(el) => bool` on the focused element.
pub(crate) async fn focused_is(env: &Env, predicate: &str) -> bool {
    env.driver
        .execute(
            format!(
                "const el = document.activeElement;
                 return !!el && el !== document.body && ({predicate})(el);"
            ),
            vec![],
        )
        .await
        .unwrap()
        .json()
        .as_bool()
        .unwrap_or(false)
}

/// A short description of the focused element, for failure messages.
pub(crate) async fn focused(env: &Env) -> String {
    let el = env.driver.active_element().await.unwrap();
    let tag = el.tag_name().await.unwrap_or_default();
    let label = el.attr("aria-label").await.unwrap().unwrap_or_default();
    let text = el.text().await.unwrap_or_default();
    format!("<{tag}> {label:?} {text:?}")
}

/// Fails unless the focused element shows a focus indicator (an outline or a box-shadow).
pub(crate) async fn assert_focus_visible(env: &Env) {
    let style = env
        .driver
        .execute(
            "const s = getComputedStyle(document.activeElement);
             return [s.outlineStyle, s.outlineWidth, s.boxShadow];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    let outline = style[0].as_str().unwrap_or("none") != "none"
        && style[1].as_str().unwrap_or("0px") != "0px";
    let shadow = style[2].as_str().unwrap_or("none") != "none";
    assert!(
        outline || shadow,
        "focus is not visible on {}: {style}",
        focused(env).await
    );
}

/// Presses Tab until the focused element satisfies `predicate` (JS, `(el) => bool`),
/// checking that every element passed on the way shows its focus.
pub(crate) async fn tab_to(env: &Env, predicate: &str, what: &str) {
    for _ in 0..MAX_TABS {
        press(env, Key::Tab).await;
        if focused_is(env, "(el) => true").await {
            assert_focus_visible(env).await;
        }
        if focused_is(env, predicate).await {
            return;
        }
    }
    panic!("{MAX_TABS} Tabs never reached {what}");
}

/// Waits until `predicate` (JS, `(el) => bool`) holds for the focused element.
pub(crate) async fn until_focused(env: &Env, predicate: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !focused_is(env, predicate).await {
        assert!(
            Instant::now() < deadline,
            "focus is on {}, expected {what}",
            focused(env).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) const IN_OPEN_DIALOG: &str = "(el) => !!el.closest('dialog[open]')";
const SWITCH: &str = "(el) => el.getAttribute('role') === 'switch'";

#[tokio::test(flavor = "multi_thread")]
async fn paul_approves_an_access_request_with_the_keyboard() {
    let env = Env::start().await;
    env.sign_in("paul@acme.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("li", "Gary Green").await;

    tab_to(
        &env,
        "(el) => el.tagName === 'BUTTON' && el.textContent.trim() === 'Approve'
                 && (el.closest('li') || {}).textContent.includes('Gary Green')",
        "Approve on Gary Green's request",
    )
    .await;
    press(&env, Key::Enter).await;

    env.find_text("*[@role='status']", "Gary Green can now open Fraud Signals")
        .await;
    env.find_text("p", "No pending requests").await;
    // Focus did not fall out of the page with the request's row: with no request left,
    // it is on the panel's title.
    until_focused(
        &env,
        "(el) => el.tagName === 'H2' && el.textContent.trim() === 'Access requests'",
        "the Access requests title",
    )
    .await;
    assert_focus_visible(&env).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wanda_toggles_multi_partner_mode_through_its_dialog_with_the_keyboard() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    env.until_switch("false").await;

    tab_to(&env, SWITCH, "the multi-partner switch").await;

    // Space opens the dialog; focus moves into it; Escape cancels and gives focus back.
    press(&env, Key::Space).await;
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    until_focused(&env, IN_OPEN_DIALOG, "an element of the dialog").await;
    press(&env, Key::Escape).await;
    env.until_none(By::Css("dialog[open]")).await;
    until_focused(&env, SWITCH, "the switch, after Escape").await;
    assert_focus_visible(&env).await;
    env.until_switch("false").await;

    // Enter opens it again; Cancel (reached with Tab) changes nothing.
    press(&env, Key::Enter).await;
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    until_focused(&env, IN_OPEN_DIALOG, "an element of the dialog").await;
    tab_to(
        &env,
        "(el) => !!el.closest('dialog[open]') && el.textContent.trim() === 'Cancel'",
        "Cancel",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_none(By::Css("dialog[open]")).await;
    until_focused(&env, SWITCH, "the switch, after Cancel").await;
    env.until_switch("false").await;

    // Space again, then Turn on: focus comes back to the switch, which is now on.
    press(&env, Key::Space).await;
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    until_focused(&env, IN_OPEN_DIALOG, "an element of the dialog").await;
    tab_to(
        &env,
        "(el) => !!el.closest('dialog[open]') && el.textContent.trim() === 'Turn on'",
        "Turn on",
    )
    .await;
    // Shift+Tab goes back to Cancel and Tab forward again: focus stays in the dialog.
    press_shift_tab(&env).await;
    until_focused(&env, IN_OPEN_DIALOG, "an element of the dialog").await;
    assert_focus_visible(&env).await;
    press(&env, Key::Tab).await;
    until_focused(
        &env,
        "(el) => el.textContent.trim() === 'Turn on'",
        "Turn on",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_none(By::Css("dialog[open]")).await;
    env.until_switch("true").await;
    env.find_text("*[@role='status']", "Gina Gray is now a Viewer")
        .await;
    until_focused(&env, SWITCH, "the switch, after Turn on").await;
    assert_focus_visible(&env).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ivan_opens_a_workspace_from_the_external_tab_with_the_keyboard() {
    let env = Env::start().await;
    env.sign_in("ivan@initech.test").await;
    env.find_text("a[@role='tab']", "External").await;

    tab_to(
        &env,
        "(el) => el.getAttribute('role') === 'tab' && el.textContent.includes('External')",
        "the External Workspaces tab",
    )
    .await;
    press(&env, Key::Enter).await;
    env.until_path("/workspaces?tab=shared_partner").await;
    env.find_text("tbody[@data-publisher='Acme Payments']//th", "3 workspaces")
        .await;

    tab_to(
        &env,
        "(el) => el.tagName === 'A' && el.textContent.trim() === 'Refunds API'",
        "the Refunds API link",
    )
    .await;
    press(&env, Key::Enter).await;
    env.find_text("h1", "Refunds API").await;
    assert!(
        env.path().await.starts_with("/workspace/"),
        "{}",
        env.path().await
    );

    env.finish().await;
}
