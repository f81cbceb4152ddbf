//! Workspace settings: multi-partner mode, the partner list, invitations, and what each
//! kind of person may see and change there.

use std::time::{Duration, Instant};

use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::harness::Env;

const SWITCH: &str = "[role=switch]";

/// Opens a workspace's settings and waits until they have loaded.
async fn open_settings(env: &Env, id: &str) {
    env.open(&format!("/workspace/{id}/settings")).await;
    env.find_text("h2", "Partner access").await;
}

/// Asserts the multi-partner switch's ARIA states, e.g. `("aria-disabled", "true")`.
async fn assert_switch(env: &Env, states: &[(&str, &str)]) {
    let switch = env.driver.find(By::Css(SWITCH)).await.unwrap();
    for &(attr, value) in states {
        assert_eq!(
            switch.attr(attr).await.unwrap().as_deref(),
            Some(value),
            "the switch's {attr}"
        );
    }
}

/// Waits until `check` holds for the element matching `css` (re-found on every try, as
/// the page may re-render it), or fails saying what it saw.
async fn until_element(
    env: &Env,
    css: &str,
    what: &str,
    check: impl Fn(&[(Option<String>, String)]) -> bool,
    attr: &str,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut seen = Vec::new();
        if let Ok(elements) = env.driver.find_all(By::Css(css)).await {
            for element in elements {
                let value = element.attr(attr).await.ok().flatten();
                let text = element.text().await.unwrap_or_default();
                seen.push((value, text));
            }
        }
        if check(&seen) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; {css} shows {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the element matching `css` inside the open dialog.
async fn dialog_text(env: &Env, css: &str) -> String {
    env.driver
        .query(By::Css(format!("dialog[open] {css}")))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no {css} in an open dialog: {e}"))
        .text()
        .await
        .unwrap()
}

/// The role select of a partner, found by its label like a person would.
async fn role_select(env: &Env, name: &str) -> WebElement {
    env.driver
        .find(By::XPath(format!(
            "//select[@id=//label[normalize-space(.)='Role of {name}']/@for]"
        )))
        .await
        .unwrap()
}

/// The role a partner's select shows.
async fn role_of(env: &Env, name: &str) -> Option<String> {
    role_select(env, name).await.value().await.unwrap()
}

/// The text area labelled `label` (through `<label for>`).
async fn textarea(env: &Env, label: &str) -> WebElement {
    env.driver
        .query(By::XPath(format!(
            "//textarea[@id=//label[normalize-space(.)='{label}']/@for]"
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no text area labelled {label:?}: {e}"))
}

/// Saves a screenshot for a person to look at when `SCREENSHOT_DIR` is set (never in CI),
/// scrolled so the element matching `css` is at the top.
async fn screenshot(env: &Env, css: &str, name: &str) {
    let Some(dir) = std::env::var_os("SCREENSHOT_DIR") else {
        return;
    };
    let element = env.driver.find(By::Css(css)).await.unwrap();
    env.driver
        .execute(
            "arguments[0].scrollIntoView({ block: 'start' }); window.scrollBy(0, -16);",
            vec![element.to_json().unwrap()],
        )
        .await
        .unwrap();
    let png = env.driver.screenshot_as_png().await.unwrap();
    std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_partner_mode_turns_gina_into_a_viewer_who_no_longer_sees_initech() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    open_settings(&env, &payments).await;
    env.until_switch("false").await;
    assert_eq!(role_of(&env, "Gina Gray").await.as_deref(), Some("editor"));
    env.find_text(
        "*[@data-testid='editor-seats']",
        "Partner Editor seats: 1 of 3 used",
    )
    .await;
    screenshot(&env, "h1", "settings-wanda-top").await;
    screenshot(&env, "#partner-access-title", "settings-wanda-access").await;

    env.click(By::Css(SWITCH)).await;

    // The dialog says exactly what changes before anything does.
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    let editors = dialog_text(&env, "[data-testid=editors-to-viewers]").await;
    assert!(editors.contains("Gina Gray"), "{editors}");
    assert!(!editors.contains("Gary Green"), "{editors}");
    let teams = dialog_text(&env, "[data-testid=teams-hidden]").await;
    assert!(teams.contains("Globex"), "{teams}");
    assert!(teams.contains("Initech (Ivan Ito)"), "{teams}");
    screenshot(&env, "h1", "settings-dialog-on").await;
    env.button("Turn on").await.click().await.unwrap();

    env.until_switch("true").await;
    env.find_text("*[@role='status']", "Gina Gray is now a Viewer")
        .await;
    assert_eq!(role_of(&env, "Gina Gray").await.as_deref(), Some("viewer"));
    env.find_text(
        "*[@data-testid='editor-seats']",
        "Partner Editor seats: 0 of 3 used",
    )
    .await;
    screenshot(&env, "#partner-access-title", "settings-wanda-on").await;

    // It was saved: a reload shows it on.
    env.driver.refresh().await.unwrap();
    env.find_text("h2", "Partner access").await;
    env.until_switch("true").await;

    // Gina is a Viewer now, and Initech's partners are hidden from her.
    env.sign_in_as("gina@globex.test").await;
    open_settings(&env, &payments).await;
    env.find_text("*[@data-testid='your-role']", "Partner Viewer")
        .await;
    env.find_text("*[@data-testid='partner']", "Gary Green")
        .await;
    let gina = env
        .find_text("*[@data-testid='partner']", "Gina Gray")
        .await;
    let gina = gina.text().await.unwrap();
    assert!(
        gina.contains("Viewer") && !gina.contains("Editor"),
        "{gina}"
    );
    env.find_text("h3", "Partners you can see").await;
    let text = env.main_text().await;
    assert!(!text.contains("Ivan Ito"), "{text}");
    assert!(!text.contains("Initech"), "{text}");
    env.assert_none(By::Css("#invite-emails")).await;
    assert_switch(&env, &[("aria-checked", "true"), ("aria-disabled", "true")]).await;

    // Wanda turns it off again; the dialog says who will see each other.
    env.sign_in_as("wanda@acme.test").await;
    open_settings(&env, &payments).await;
    env.until_switch("true").await;
    env.click(By::Css(SWITCH)).await;
    env.find_text("dialog[@open]//h2", "Turn off multi-partner mode?")
        .await;
    let teams = dialog_text(&env, "[data-testid=teams-visible]").await;
    assert!(teams.contains("Globex (Gary Green, Gina Gray)"), "{teams}");
    assert!(teams.contains("Initech (Ivan Ito)"), "{teams}");
    screenshot(&env, "h1", "settings-dialog-off").await;
    env.button("Turn off").await.click().await.unwrap();
    env.until_switch("false").await;
    env.driver.refresh().await.unwrap();
    env.find_text("h2", "Partner access").await;
    env.until_switch("false").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toggle_that_cannot_reach_the_server_rolls_back_and_says_why() {
    let mut env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    open_settings(&env, &payments).await;
    env.until_switch("false").await;
    env.click(By::Css(SWITCH)).await;
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;

    env.stop_server().await;
    env.button("Turn on").await.click().await.unwrap();

    let error = env
        .find_text(
            "*[@data-testid='multi-partner-error']",
            "Multi-partner mode is still off.",
        )
        .await;
    let error = error.text().await.unwrap();
    assert!(error.contains("Can't reach the server"), "{error}");
    assert_eq!(
        env.driver
            .find(By::Css("[data-testid=multi-partner-error]"))
            .await
            .unwrap()
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("alert")
    );
    env.until_switch("false").await;
    // Nothing else changed either: Gina is still an Editor.
    assert_eq!(role_of(&env, "Gina Gray").await.as_deref(), Some("editor"));
    screenshot(&env, "#partner-access-title", "settings-rollback").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn inviting_a_list_reports_each_address_and_keeps_the_ones_to_fix() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    open_settings(&env, &payments).await;

    let emails = textarea(&env, "Email addresses").await;
    emails
        .send_keys("uma@umbrella.test\ngary@globex.test\nnot-an-email")
        .await
        .unwrap();
    env.find_text("*[@id='invite-emails-hint']", "3 addresses")
        .await;
    env.button("Invite").await.click().await.unwrap();

    until_element(
        &env,
        "[data-testid=invite-result]",
        "three answered rows",
        |rows| rows.len() == 3 && rows.iter().all(|(o, _)| o.as_deref() != Some("inviting")),
        "data-outcome",
    )
    .await;
    let rows = env
        .driver
        .find_all(By::Css("[data-testid=invite-result]"))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for row in rows {
        seen.push((
            row.attr("data-outcome").await.unwrap().unwrap(),
            row.text().await.unwrap(),
        ));
    }
    assert_eq!(seen[0].0, "invited", "{seen:?}");
    assert!(seen[0].1.contains("uma@umbrella.test"), "{seen:?}");
    assert!(seen[0].1.contains("Invited as Viewer"), "{seen:?}");
    assert_eq!(seen[1].0, "already_partner", "{seen:?}");
    assert!(seen[1].1.contains("Already a partner"), "{seen:?}");
    assert!(
        seen[1]
            .1
            .contains("gary@globex.test is already a partner in this workspace."),
        "{seen:?}"
    );
    assert_eq!(seen[2].0, "invalid", "{seen:?}");
    assert!(seen[2].1.contains("not-an-email"), "{seen:?}");
    assert!(seen[2].1.contains("needs an @"), "{seen:?}");

    // The address to fix stays in the box; Uma is in the list under her team.
    let emails = textarea(&env, "Email addresses").await;
    assert_eq!(
        emails.value().await.unwrap().as_deref(),
        Some("not-an-email")
    );
    let umbrella = env
        .find_text("*[@data-testid='partner-team']", "Umbrella")
        .await;
    let umbrella = umbrella.text().await.unwrap();
    assert!(umbrella.contains("Uma Ueda"), "{umbrella}");
    assert!(umbrella.contains("SSO not enforced"), "{umbrella}");
    screenshot(&env, "#invite-title", "settings-invite-results").await;
    screenshot(&env, "[data-testid=partner-team]", "settings-partner-list").await;
    if std::env::var_os("SCREENSHOT_DIR").is_some() {
        env.driver.set_window_rect(0, 0, 375, 800).await.unwrap();
        screenshot(&env, "h1", "settings-375-top").await;
        screenshot(&env, "#partner-access-title", "settings-375-access").await;
        screenshot(&env, "[data-testid=partner-team]", "settings-375-list").await;
        env.driver.set_window_rect(0, 0, 1280, 800).await.unwrap();
    }

    // The invitation is real: Uma now opens the workspace as a Viewer.
    env.sign_in_as("uma@umbrella.test").await;
    assert_eq!(
        env.api_status(&format!("/api/workspaces/{payments}")).await,
        200
    );

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn members_see_the_switch_read_only_and_partners_see_only_their_own_team() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;

    // Mike works in Payments API but doesn't administer it.
    env.sign_in("mike@acme.test").await;
    open_settings(&env, &payments).await;
    assert_switch(&env, &[("aria-disabled", "true")]).await;
    env.find_text(
        "p",
        "Only Workspace Admins and Team Admins can change this.",
    )
    .await;
    env.click(By::Css(SWITCH)).await;
    env.assert_none(By::Css("dialog[open]")).await;
    env.until_switch("false").await;
    // He sees every partner, but can't invite, change roles or remove.
    env.find_text("*[@data-testid='partner']", "Ivan Ito").await;
    env.assert_none(By::Css("#invite-emails")).await;
    env.assert_none(By::Css("select")).await;
    assert!(!env.main_text().await.contains("Remove"));
    assert!(!env.main_text().await.contains("Danger zone"));
    screenshot(&env, "#partner-access-title", "settings-mike").await;

    // Uma, a partner in Fraud Signals (multi-partner mode on), sees her own team only.
    env.sign_in_as("uma@umbrella.test").await;
    open_settings(&env, &fraud).await;
    env.find_text("*[@data-testid='your-role']", "Partner Viewer")
        .await;
    env.find_text("*[@data-testid='partner']", "Uma Ueda").await;
    env.find_text("h3", "Partners you can see").await;
    let teams = env
        .driver
        .find_all(By::Css("[data-testid=partner-team]"))
        .await
        .unwrap();
    assert_eq!(teams.len(), 1);
    let text = env.main_text().await;
    assert!(!text.contains("Ivan Ito"), "{text}");
    assert!(!text.contains("Initech"), "{text}");
    assert!(!text.contains("Partner Editor seats"), "{text}");
    assert_switch(&env, &[("aria-checked", "true"), ("aria-disabled", "true")]).await;
    env.assert_none(By::Css("#invite-emails")).await;
    screenshot(&env, "h1", "settings-uma-top").await;
    screenshot(&env, "#partner-access-title", "settings-uma").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_rename_change_roles_remove_partners_and_convert_to_internal() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    open_settings(&env, &payments).await;

    // General: checked as the server checks it, then saved.
    let name = env.field("Name").await;
    // Select all and delete, the way a person empties a field (so input events fire).
    name.send_keys(Key::Control + "a").await.unwrap();
    name.send_keys(Key::Backspace).await.unwrap();
    env.button("Save changes").await.click().await.unwrap();
    env.find_text(
        "*[@id='workspace-name-error']",
        "Give the workspace a name.",
    )
    .await;
    name.send_keys("Payments API v2").await.unwrap();
    env.button("Save changes").await.click().await.unwrap();
    env.find_text("h1", "Payments API v2 settings").await;
    env.find_text(
        "*[@role='status']",
        "Saved the name and summary of Payments API v2.",
    )
    .await;

    // A role change takes a seat, and says so.
    SelectElement::new(&role_select(&env, "Ivan Ito").await)
        .await
        .unwrap()
        .select_by_value("editor")
        .await
        .unwrap();
    env.find_text(
        "*[@role='status']",
        "Ivan Ito is now an Editor in Payments API v2.",
    )
    .await;
    env.find_text(
        "*[@data-testid='editor-seats']",
        "Partner Editor seats: 2 of 3 used",
    )
    .await;
    assert_eq!(role_of(&env, "Ivan Ito").await.as_deref(), Some("editor"));

    // Removing asks first, then the partner is gone and their seat is free.
    env.click(By::Css("button[aria-label='Remove Ivan Ito']"))
        .await;
    env.find_text("dialog[@open]//h2", "Remove Ivan Ito?").await;
    let body = dialog_text(&env, ".confirm-text").await;
    assert!(
        body.contains("loses access to Payments API v2 at once"),
        "{body}"
    );
    screenshot(&env, "h1", "settings-remove-dialog").await;
    env.button("Remove partner").await.click().await.unwrap();
    env.find_text(
        "*[@role='status']",
        "Ivan Ito no longer has access to Payments API v2.",
    )
    .await;
    env.find_text(
        "*[@data-testid='editor-seats']",
        "Partner Editor seats: 1 of 3 used",
    )
    .await;
    assert!(!env.main_text().await.contains("Ivan Ito"));

    // Converting to internal needs the name typed exactly.
    // The toasts so far sit over the bottom-right corner: dismiss them, as a person would.
    for dismiss in env
        .driver
        .find_all(By::Css("button[aria-label='Dismiss']"))
        .await
        .unwrap()
    {
        dismiss.click().await.unwrap();
    }
    env.button("Convert to internal…")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("dialog[@open]//h2", "Convert Payments API v2 to internal?")
        .await;
    let convert = env.button("Convert to internal").await;
    let confirm = env.field("Type Payments API v2 to confirm").await;
    confirm.send_keys("Payments API").await.unwrap();
    assert!(!convert.is_enabled().await.unwrap());
    confirm.send_keys(" v2").await.unwrap();
    screenshot(&env, "h1", "settings-convert").await;
    convert.click().await.unwrap();
    env.find_text(
        "*[@role='status']",
        "Payments API v2 is now internal. 2 partners were removed.",
    )
    .await;
    env.find_text(
        "*[@data-testid='internal-note']",
        "This is an internal workspace",
    )
    .await;
    assert!(!env.main_text().await.contains("Danger zone"));
    env.assert_none(By::Css(SWITCH)).await;

    env.finish().await;
}
