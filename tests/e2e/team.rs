//! Team Settings > General and Members, and joining a team through an invitation's link:
//! the real server, the real build and Chromium, as Acme's Team Admin (alice), its members
//! and the people they invite.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::{DEMO_PASSWORD, Env, xpath_literal};
use crate::keyboard::{IN_OPEN_DIALOG, assert_focus_visible, press, tab_to, until_focused};
use crate::screenshots::shoot;

const GENERAL: &str = "/settings/team/general";
const MEMBERS: &str = "/settings/team/members";
const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// Waits for a member's row in the members table.
async fn member_row(env: &Env, email: &str) -> WebElement {
    env.driver
        .query(By::Css(format!("tr[data-member='{email}']")))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no row for {email}: {e}"))
}

/// Waits for a toast (or any live status) saying `text`.
async fn toast(env: &Env, text: &str) {
    env.find_text("*[@role='status']", text).await;
}

/// Dismisses every toast on screen, as a person does before reaching what they cover.
async fn dismiss_toasts(env: &Env) {
    for button in env
        .driver
        .find_all(By::Css(".toasts button[aria-label=Dismiss]"))
        .await
        .unwrap()
    {
        // A toast may have gone by itself meanwhile.
        _ = button.click().await;
    }
    env.until_none(By::Css(".toasts button[aria-label=Dismiss]"))
        .await;
}

/// The control (select or input) labelled `label` through `<label for>`.
async fn labelled(env: &Env, tag: &str, label: &str) -> WebElement {
    env.driver
        .query(By::XPath(format!(
            "//{tag}[@id=//label[normalize-space(.)={}]/@for]",
            xpath_literal(label)
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no <{tag}> labelled {label:?}: {e}"))
}

/// Waits until the value (or `checked`) property of the control labelled `label` is `want`.
async fn until_property(env: &Env, tag: &str, label: &str, property: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let control = labelled(env, tag, label).await;
        let value = control.prop(property).await.unwrap().unwrap_or_default();
        let busy = control.attr("disabled").await.unwrap().is_some();
        if value == want && !busy {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{label:?} stayed {property}={value:?} (disabled: {busy}), expected {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Empties a text field the way a person does (select all, delete), so the page hears it.
async fn clear_field(field: &WebElement) {
    field.send_keys(Key::Control + "a").await.unwrap();
    field.send_keys(Key::Backspace).await.unwrap();
}

/// Sends a request as an API client; the status and the JSON answer (`null` when empty).
async fn call(
    client: &reqwest::Client,
    env: &Env,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client
        .request(method, format!("{}{path}", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Hana (Hooli's Team Admin) makes mike@acme.test a partner Viewer of Hooli Search API;
/// returns the workspace's id.
async fn hana_invites_mike_to_hooli(env: &Env) -> (reqwest::Client, String) {
    let hana = env.api_client("hana@hooli.test").await;
    let (_, list) = call(
        &hana,
        env,
        reqwest::Method::GET,
        "/api/workspaces?per_page=200",
        None,
    )
    .await;
    let hooli = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "Hooli Search API")
        .unwrap_or_else(|| panic!("no Hooli Search API in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, answer) = call(
        &hana,
        env,
        reqwest::Method::POST,
        &format!("/api/workspaces/{hooli}/partners"),
        Some(json!({ "email": "mike@acme.test", "role": "viewer" })),
    )
    .await;
    assert!(
        status == 200 || status == 201,
        "inviting mike: {status} {answer}"
    );
    (hana, hooli)
}

/// The path of the newest `/join/…` link emailed to `to` (the dev mailbox).
async fn join_link(env: &Env, to: &str) -> String {
    let url = format!("{}/api/dev/mailbox?to={to}", env.base);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let outbox: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        let link = outbox["items"]
            .as_array()
            .expect("a page of emails")
            .iter()
            .filter_map(|email| email["link"].as_str())
            .find(|link| link.contains("/join/"));
        if let Some(link) = link {
            return link
                .strip_prefix(&env.base)
                .unwrap_or_else(|| panic!("{link} is a link to this app"))
                .to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no /join/ link to {to} in {outbox}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Alice invites `email` through the Members page's form.
async fn invite_through_the_form(env: &Env, email: &str) {
    env.open(MEMBERS).await;
    env.field("Email address")
        .await
        .send_keys(email)
        .await
        .unwrap();
    env.button("Send invitation").await.click().await.unwrap();
    toast(env, &format!("Invitation sent to {email}.")).await;
    env.find_text("li", email).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_makes_mike_a_partner_manager_and_mike_opens_partnerships() {
    let env = Env::start().await;
    // Mike is signed in elsewhere already: his session gets Partnerships without signing
    // in again.
    let mike = env.api_client("mike@acme.test").await;
    let (before, _) = call(&mike, &env, reqwest::Method::GET, "/api/partnerships", None).await;
    assert_eq!(before, 403, "a member can't open Partnerships yet");

    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    member_row(&env, "mike@acme.test").await;
    until_property(
        &env,
        "input",
        "Partner Manager: Mike Moore",
        "checked",
        "false",
    )
    .await;
    labelled(&env, "input", "Partner Manager: Mike Moore")
        .await
        .click()
        .await
        .unwrap();
    toast(
        &env,
        "Mike Moore is now a Partner Manager and can open Partnerships.",
    )
    .await;
    until_property(
        &env,
        "input",
        "Partner Manager: Mike Moore",
        "checked",
        "true",
    )
    .await;

    let (after, page) = call(&mike, &env, reqwest::Method::GET, "/api/partnerships", None).await;
    assert_eq!(after, 200, "{page}");

    // Reloaded, the page shows what the server saved.
    env.open(MEMBERS).await;
    until_property(
        &env,
        "input",
        "Partner Manager: Mike Moore",
        "checked",
        "true",
    )
    .await;

    env.sign_in_as("mike@acme.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("h2", "Partner teams").await;
    env.find_text("a", "Initech").await;
    assert!(
        !env.main_text()
            .await
            .contains("Only Team Admins and Partner Managers"),
        "mike sees Partnerships, not the no-permission page"
    );

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_removes_mike_who_loses_a_hooli_grant_and_his_session_at_once() {
    let env = Env::start().await;
    let (hana, hooli) = hana_invites_mike_to_hooli(&env).await;
    let mike = env.api_client("mike@acme.test").await;
    let (status, _) = call(&mike, &env, reqwest::Method::GET, "/api/me", None).await;
    assert_eq!(status, 200);

    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    member_row(&env, "mike@acme.test").await;
    env.click(By::Css("button[aria-label='Remove Mike Moore']"))
        .await;
    env.find_text("dialog[@open]//h2", "Remove Mike Moore from Acme Payments?")
        .await;

    // The dialog says exactly what he loses before anything happens.
    let grants = env
        .find_text(
            "dialog[@open]//*[@data-testid='removal-grants']",
            "Hooli Search API",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(grants.contains("(1)"), "{grants}");
    assert!(grants.contains("Hooli · Viewer"), "{grants}");
    let roles = env
        .find_text(
            "dialog[@open]//*[@data-testid='removal-roles']",
            "Payments API",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(roles.contains("Editor"), "{roles}");
    env.find_text(
        "dialog[@open]//*[@data-testid='removal-sessions']",
        "They're signed out on 1 device at once.",
    )
    .await;

    env.button("Remove from team").await.click().await.unwrap();
    toast(&env, "Mike Moore is no longer in Acme Payments.").await;
    env.until_none(By::Css("dialog[open]")).await;
    env.until_none(By::Css("tr[data-member='mike@acme.test']"))
        .await;

    // His session ended and his Hooli grant with it, at once.
    let (status, _) = call(&mike, &env, reqwest::Method::GET, "/api/me", None).await;
    assert_eq!(status, 401, "mike's session ended");
    let (status, members) = call(
        &hana,
        &env,
        reqwest::Method::GET,
        &format!("/api/workspaces/{hooli}/members"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        !members.to_string().contains("mike@acme.test"),
        "mike is no longer a partner in Hooli Search API: {members}"
    );

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_removes_wanda_with_the_keyboard_through_the_confirm_dialog() {
    const REMOVE_WANDA: &str = "(el) => el.getAttribute('aria-label') === 'Remove Wanda Wells'";
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    member_row(&env, "wanda@acme.test").await;

    tab_to(&env, REMOVE_WANDA, "Remove on Wanda's row").await;

    // Enter opens the dialog and focus moves into it; Escape closes it and gives focus back.
    press(&env, Key::Enter).await;
    env.find_text(
        "dialog[@open]//h2",
        "Remove Wanda Wells from Acme Payments?",
    )
    .await;
    until_focused(&env, IN_OPEN_DIALOG, "an element of the dialog").await;
    env.find_text(
        "dialog[@open]//*[@data-testid='removal-roles']",
        "Payments API",
    )
    .await;
    press(&env, Key::Escape).await;
    env.until_none(By::Css("dialog[open]")).await;
    until_focused(&env, REMOVE_WANDA, "Remove on Wanda's row, after Escape").await;
    assert_focus_visible(&env).await;
    member_row(&env, "wanda@acme.test").await;

    // Again, and this time Remove from team, reached with Tab.
    press(&env, Key::Enter).await;
    env.find_text(
        "dialog[@open]//*[@data-testid='removal-roles']",
        "Payments API",
    )
    .await;
    tab_to(
        &env,
        "(el) => !!el.closest('dialog[open]') && el.textContent.trim() === 'Remove from team'",
        "Remove from team",
    )
    .await;
    press(&env, Key::Enter).await;
    toast(&env, "Wanda Wells is no longer in Acme Payments.").await;
    env.until_none(By::Css("dialog[open]")).await;
    env.until_none(By::Css("tr[data-member='wanda@acme.test']"))
        .await;
    // Her row is gone: focus is on the list's title, not lost at the top of the page.
    until_focused(
        &env,
        "(el) => el.id === 'team-members-title'",
        "the members list's title",
    )
    .await;
    assert_focus_visible(&env).await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_team_admin_stays_one_and_cant_be_removed() {
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    member_row(&env, "alice@acme.test").await;

    let select = SelectElement::new(&labelled(&env, "select", "Team role of Alice Adams").await)
        .await
        .unwrap();
    select.select_by_value("member").await.unwrap();
    toast(&env, "Alice Adams is still a Team Admin.").await;
    // The control goes back, and the row says why.
    until_property(&env, "select", "Team role of Alice Adams", "value", "admin").await;
    let row = member_row(&env, "alice@acme.test")
        .await
        .text()
        .await
        .unwrap();
    assert!(row.contains("only Team Admin"), "{row}");

    env.click(By::Css("button[aria-label='Remove Alice Adams']"))
        .await;
    let blocked = env
        .find_text(
            "dialog[@open]//*[@data-testid='removal-blocked']",
            "only Team Admin",
        )
        .await
        .text()
        .await
        .unwrap();
    env.find_text("dialog[@open]//h2", "Alice Adams can't be removed")
        .await;
    assert!(
        blocked.contains("Make someone else a Team Admin first"),
        "{blocked}"
    );
    env.assert_none(By::XPath(
        "//dialog[@open]//button[normalize-space(.)='Remove from team']",
    ))
    .await;
    env.button("Close").await.click().await.unwrap();
    env.until_none(By::Css("dialog[open]")).await;

    // Once Paul is a Team Admin too, Alice can step down.
    let select = SelectElement::new(&labelled(&env, "select", "Team role of Paul Parker").await)
        .await
        .unwrap();
    select.select_by_value("admin").await.unwrap();
    toast(&env, "Paul Parker is now a Team Admin.").await;
    until_property(&env, "select", "Team role of Paul Parker", "value", "admin").await;
    let select = SelectElement::new(&labelled(&env, "select", "Team role of Alice Adams").await)
        .await
        .unwrap();
    select.select_by_value("member").await.unwrap();
    toast(&env, "Alice Adams is no longer a Team Admin.").await;
    // She changed her own role: the page now shows what a member may do.
    env.until_none(By::Css("select")).await;
    env.until_none(By::XPath("//h2[normalize-space(.)='Pending invitations']"))
        .await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn noras_invitation_is_pending_and_only_team_admins_see_and_manage_invitations() {
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    let nora = env
        .find_text("li[@data-invitation='nora@acme.test']", "nora@acme.test")
        .await
        .text()
        .await
        .unwrap();
    assert!(nora.contains("Invited by Alice Adams"), "{nora}");
    assert!(nora.contains("Link works until"), "{nora}");

    env.click(By::Css(
        "button[aria-label='Resend the invitation to nora@acme.test']",
    ))
    .await;
    toast(&env, "Sent a new link to nora@acme.test.").await;

    // Inviting her again is refused with the server's reason, beside the form.
    env.field("Email address")
        .await
        .send_keys("nora@acme.test")
        .await
        .unwrap();
    env.button("Send invitation").await.click().await.unwrap();
    env.find_text("form//*[@role='alert']", "already invited")
        .await;

    dismiss_toasts(&env).await;
    env.click(By::Css(
        "button[aria-label='Revoke the invitation to nora@acme.test']",
    ))
    .await;
    toast(&env, "Revoked the invitation to nora@acme.test").await;
    env.until_none(By::Css("li[data-invitation='nora@acme.test']"))
        .await;
    env.find_text("h3", "No pending invitations").await;

    // The search is in the URL, and a reload keeps it.
    let search = env.field("Find a member").await;
    search.send_keys("wan").await.unwrap();
    search.send_keys(Key::Enter).await.unwrap();
    env.until_path(&format!("{MEMBERS}?q=wan")).await;
    env.until_none(By::Css("tr[data-member='mike@acme.test']"))
        .await;
    env.driver.refresh().await.unwrap();
    member_row(&env, "wanda@acme.test").await;
    env.assert_none(By::Css("tr[data-member='alice@acme.test']"))
        .await;

    // A member sees everyone and their roles, but no invitations and no controls.
    env.sign_in_as("mike@acme.test").await;
    env.open(MEMBERS).await;
    let paul = member_row(&env, "paul@acme.test")
        .await
        .text()
        .await
        .unwrap();
    assert!(paul.contains("Partner Manager"), "{paul}");
    env.find_text("tr", "Alice Adams").await;
    env.assert_none(By::Css("select, input[type=checkbox], tbody button"))
        .await;
    env.assert_none(By::XPath("//h2[normalize-space(.)='Pending invitations']"))
        .await;
    assert!(!env.main_text().await.contains("nora@acme.test"));

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_address_signs_up_through_the_emailed_link_and_lands_in_acme() {
    let env = Env::start().await;
    env.sign_in("alice@acme.test").await;
    invite_through_the_form(&env, "newbie@acme.test").await;
    let link = join_link(&env, "newbie@acme.test").await;
    assert!(link.starts_with("/join/"), "{link}");

    // A fresh browser: nobody signed in.
    env.driver.delete_all_cookies().await.unwrap();
    env.open(&link).await;
    env.find_text("h1", "Join Acme Payments").await;
    env.find_text(
        "p",
        "Alice Adams invited you to join Acme Payments as a Member.",
    )
    .await;
    env.find_text("*[@data-testid='join-email']", "newbie@acme.test")
        .await;
    // The server's rules, checked before sending.
    env.field("Your name")
        .await
        .send_keys("Newbie Nash")
        .await
        .unwrap();
    env.field("Password")
        .await
        .send_keys("short")
        .await
        .unwrap();
    env.button("Create account and join Acme Payments")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("p", "Use at least 12 characters.").await;
    env.field("Password")
        .await
        .send_keys("-and-now-long-enough")
        .await
        .unwrap();
    env.button("Create account and join Acme Payments")
        .await
        .click()
        .await
        .unwrap();

    env.until_path("/workspaces").await;
    toast(&env, "Welcome to Acme Payments.").await;
    env.find_text("*[@data-testid='account']", "Acme Payments")
        .await;
    assert_eq!(env.api_status("/api/team").await, 200);

    // She is a member now, and the invitation is no longer pending.
    let alice = env.api_client("alice@acme.test").await;
    let (_, members) = call(
        &alice,
        &env,
        reqwest::Method::GET,
        "/api/team/members?q=newbie",
        None,
    )
    .await;
    assert_eq!(
        members["items"][0]["user"]["name"], "Newbie Nash",
        "{members}"
    );
    let (_, pending) = call(
        &alice,
        &env,
        reqwest::Method::GET,
        "/api/team/invitations",
        None,
    )
    .await;
    assert!(
        !pending.to_string().contains("newbie@acme.test"),
        "{pending}"
    );

    // The link is used: opening it again says so.
    env.open(&link).await;
    env.find_text("h1", "This invitation link doesn't work any more")
        .await;
    env.find_text("a", "Go to Workspaces").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ed_signs_in_to_join_after_switching_away_from_alice() {
    let env = Env::start().await;
    // Ed has an account and no team.
    env.sign_in("alice@acme.test").await;
    invite_through_the_form(&env, "ed@globex.test").await;
    let link = join_link(&env, "ed@globex.test").await;

    // Signed in as alice: both addresses, and Switch account.
    env.open(&link).await;
    let other = env
        .find_text("*[@data-testid='join-other-account']", "ed@globex.test")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        other.contains("you're signed in as alice@acme.test"),
        "{other}"
    );
    env.button("Switch account").await.click().await.unwrap();
    env.until_path(&format!("/signin?next={link}")).await;

    // Signed out: the link offers sign-in, back to the link.
    env.open(&link).await;
    let sign_in = env.find_text("a", "Sign in to join").await;
    let href = sign_in.attr("href").await.unwrap().unwrap_or_default();
    assert_eq!(href, format!("/signin?next={link}"));
    sign_in.click().await.unwrap();
    env.submit_sign_in("ed@globex.test", DEMO_PASSWORD).await;
    env.until_path(&link).await;

    // Signed in as the invited address: one button joins.
    env.find_text("p", "You're signed in as ed@globex.test.")
        .await;
    env.button("Join Acme Payments")
        .await
        .click()
        .await
        .unwrap();
    env.until_path("/workspaces").await;
    toast(&env, "Welcome to Acme Payments.").await;
    env.open(GENERAL).await;
    env.find_text("*[@data-testid='team-name']", "Acme Payments")
        .await;

    // A link that was never issued.
    env.open("/join/not-a-real-token").await;
    env.find_text("h1", "This invitation link doesn't work any more")
        .await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_renames_the_team_and_turns_off_sso_which_hooli_sees() {
    let env = Env::start().await;
    let (hana, _) = hana_invites_mike_to_hooli(&env).await;
    let acme_sso = || async {
        let (_, teams) = call(
            &hana,
            &env,
            reqwest::Method::GET,
            "/api/partnerships?q=Acme",
            None,
        )
        .await;
        teams["items"][0]["sso_enforced"].clone()
    };
    assert_eq!(acme_sso().await, json!(true));

    env.sign_in("alice@acme.test").await;
    env.open(GENERAL).await;
    env.find_text("*[@data-testid='team-plan']", "Professional")
        .await;
    env.find_text("*[@data-testid='team-seats']", "of 3").await;
    env.find_text("li", "acme.test").await;

    // A blank name is refused before anything is sent.
    let name = env.field("Team name").await;
    clear_field(&name).await;
    name.send_keys("   ").await.unwrap();
    env.button("Save name").await.click().await.unwrap();
    env.find_text("p", "Give the team a name.").await;
    clear_field(&name).await;
    name.send_keys("Acme Pay & Co").await.unwrap();
    env.button("Save name").await.click().await.unwrap();
    toast(&env, "Your team is now called Acme Pay & Co.").await;
    // The top bar follows at once.
    env.find_text("*[@data-testid='account']", "Acme Pay & Co")
        .await;

    env.click(By::Css("#team-sso")).await;
    toast(&env, "SSO is no longer required for Acme Pay & Co.").await;
    env.until_switch("false").await;
    assert_eq!(
        acme_sso().await,
        json!(false),
        "Hooli sees SSO not enforced"
    );

    // A member sees it all, read-only, with who can change it.
    env.sign_in_as("mike@acme.test").await;
    env.open(GENERAL).await;
    env.find_text("*[@data-testid='team-name']", "Acme Pay & Co")
        .await;
    env.find_text("p", "Only Team Admins can change the team's name.")
        .await;
    env.until_switch("false").await;
    let switch = env.driver.find(By::Css("#team-sso")).await.unwrap();
    assert_eq!(
        switch.attr("aria-disabled").await.unwrap().as_deref(),
        Some("true")
    );
    env.find_text("p", "Only Team Admins can change this.")
        .await;
    env.assert_none(By::Css("input#team-name")).await;

    // Someone in no team is told why there is nothing here.
    env.sign_in_as("ed@globex.test").await;
    env.open(GENERAL).await;
    env.find_text("h2", "You're not in a team").await;
    env.open(MEMBERS).await;
    env.find_text("h2", "You're not in a team").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn team_pages_and_the_join_page_have_no_violations_in_every_state() {
    let mut env = Env::start().await;
    let mut found = Vec::new();
    hana_invites_mike_to_hooli(&env).await;

    env.sign_in("alice@acme.test").await;
    env.open(GENERAL).await;
    env.field("Team name").await;
    env.find_text("li", "acme.test").await;
    found.extend(audit(&env, "general, Team Admin").await);

    let name = env.field("Team name").await;
    clear_field(&name).await;
    env.button("Save name").await.click().await.unwrap();
    env.find_text("p", "Give the team a name.").await;
    found.extend(audit(&env, "general, name error").await);

    env.open(MEMBERS).await;
    member_row(&env, "mike@acme.test").await;
    env.find_text("li", "nora@acme.test").await;
    found.extend(audit(&env, "members, Team Admin").await);

    let select = SelectElement::new(&labelled(&env, "select", "Team role of Alice Adams").await)
        .await
        .unwrap();
    select.select_by_value("member").await.unwrap();
    env.find_text("tr//p[@role='alert']", "only Team Admin")
        .await;
    found.extend(audit(&env, "members, last Team Admin refused").await);

    env.click(By::Css("button[aria-label='Remove Mike Moore']"))
        .await;
    env.find_text("dialog[@open]//*[@data-testid='removal-grants']", "Hooli")
        .await;
    found.extend(audit(&env, "remove dialog").await);
    env.button("Cancel").await.click().await.unwrap();
    env.until_none(By::Css("dialog[open]")).await;

    env.click(By::Css("button[aria-label='Remove Alice Adams']"))
        .await;
    env.find_text(
        "dialog[@open]//*[@data-testid='removal-blocked']",
        "only Team Admin",
    )
    .await;
    found.extend(audit(&env, "remove dialog, blocked").await);
    env.button("Close").await.click().await.unwrap();

    env.open(&format!("{MEMBERS}?q=zzqx")).await;
    env.find_text("h3", "No members found").await;
    found.extend(audit(&env, "members, no match").await);

    invite_through_the_form(&env, "newbie@acme.test").await;
    let newbie = join_link(&env, "newbie@acme.test").await;
    invite_through_the_form(&env, "ed@globex.test").await;
    let ed = join_link(&env, "ed@globex.test").await;

    env.open(&ed).await;
    env.find_text("*[@data-testid='join-other-account']", "ed@globex.test")
        .await;
    found.extend(audit(&env, "join, signed in as another account").await);

    env.sign_in_as("mike@acme.test").await;
    env.open(GENERAL).await;
    env.find_text("*[@data-testid='team-name']", "Acme Payments")
        .await;
    found.extend(audit(&env, "general, member").await);
    env.open(MEMBERS).await;
    member_row(&env, "paul@acme.test").await;
    found.extend(audit(&env, "members, member").await);

    env.sign_in_as("ed@globex.test").await;
    env.open(&ed).await;
    env.button("Join Acme Payments").await;
    found.extend(audit(&env, "join, signed in as the invited account").await);
    env.open(GENERAL).await;
    env.find_text("h2", "You're not in a team").await;
    found.extend(audit(&env, "general, no team").await);

    env.driver.delete_all_cookies().await.unwrap();
    env.open(&ed).await;
    env.find_text("a", "Sign in to join").await;
    found.extend(audit(&env, "join, signed out with an account").await);

    env.open(&newbie).await;
    env.field("Your name").await;
    found.extend(audit(&env, "join, sign-up form").await);
    env.button("Create account and join Acme Payments")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("p", "Enter your name.").await;
    found.extend(audit(&env, "join, sign-up errors").await);

    env.open("/join/not-a-real-token").await;
    env.find_text("h1", "This invitation link doesn't work any more")
        .await;
    found.extend(audit(&env, "join, invalid link").await);

    // The server goes away: the next request fails, and the list says so, with Retry.
    env.sign_in("alice@acme.test").await;
    env.open(MEMBERS).await;
    member_row(&env, "mike@acme.test").await;
    env.stop_server().await;
    let search = env.field("Find a member").await;
    search.send_keys("mi").await.unwrap();
    search.send_keys(Key::Enter).await.unwrap();
    env.button("Retry").await;
    found.extend(audit(&env, "members, server unreachable").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn team_screenshots() {
    let dir = std::path::PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    hana_invites_mike_to_hooli(&env).await;

    env.sign_in("alice@acme.test").await;
    env.open(GENERAL).await;
    env.find_text("li", "acme.test").await;
    shoot(&env, &dir, "team-general-admin").await;

    env.open(MEMBERS).await;
    member_row(&env, "mike@acme.test").await;
    env.find_text("li", "nora@acme.test").await;
    shoot(&env, &dir, "team-members-admin").await;

    env.click(By::Css("button[aria-label='Remove Mike Moore']"))
        .await;
    env.find_text("dialog[@open]//*[@data-testid='removal-grants']", "Hooli")
        .await;
    shoot(&env, &dir, "team-remove-dialog").await;
    env.button("Cancel").await.click().await.unwrap();
    env.click(By::Css("button[aria-label='Remove Alice Adams']"))
        .await;
    env.find_text(
        "dialog[@open]//*[@data-testid='removal-blocked']",
        "only Team Admin",
    )
    .await;
    shoot(&env, &dir, "team-remove-blocked").await;
    env.button("Close").await.click().await.unwrap();

    invite_through_the_form(&env, "newbie@acme.test").await;
    let newbie = join_link(&env, "newbie@acme.test").await;
    invite_through_the_form(&env, "ed@globex.test").await;
    let ed = join_link(&env, "ed@globex.test").await;
    env.open(&ed).await;
    env.find_text("*[@data-testid='join-other-account']", "ed@globex.test")
        .await;
    shoot(&env, &dir, "join-other-account").await;

    env.sign_in_as("mike@acme.test").await;
    env.open(GENERAL).await;
    env.find_text("*[@data-testid='team-name']", "Acme Payments")
        .await;
    shoot(&env, &dir, "team-general-member").await;
    env.open(MEMBERS).await;
    member_row(&env, "paul@acme.test").await;
    shoot(&env, &dir, "team-members-member").await;

    env.sign_in_as("ed@globex.test").await;
    env.open(&ed).await;
    env.button("Join Acme Payments").await;
    shoot(&env, &dir, "join-as-invited").await;
    env.open(MEMBERS).await;
    env.find_text("h2", "You're not in a team").await;
    shoot(&env, &dir, "team-no-team").await;

    env.driver.delete_all_cookies().await.unwrap();
    env.open(&ed).await;
    env.find_text("a", "Sign in to join").await;
    shoot(&env, &dir, "join-sign-in").await;
    env.open(&newbie).await;
    env.button("Create account and join Acme Payments")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("p", "Enter your name.").await;
    shoot(&env, &dir, "join-sign-up-errors").await;
    env.open("/join/not-a-real-token").await;
    env.find_text("h1", "This invitation link doesn't work any more")
        .await;
    shoot(&env, &dir, "join-invalid").await;

    env.finish().await;
}
