//! Markup in everything people write or are called — a workspace's name and summary, an
//! access request's message, a person's and a partner team's name — is shown as text
//! everywhere: pages, dialogs, the drawer and emails (issue 8; the API side is
//! crates/server/tests/api/adversarial.rs).
//!
//! The app's CSP would stop inline handlers even if markup became elements, so
//! `window.__pwned` alone proves little: every place is also searched for the elements
//! the payloads would create.

use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;

use crate::harness::{Env, xpath_literal};

/// Payments API's new name.
const NAME: &str = "<script>window.__pwned=1</script>Payments API";
/// Payments API's new summary; the entities must stay as typed (no double decoding).
const SUMMARY: &str = r#"<img src=x onerror="window.__pwned=1"> &amp; &lt;b&gt;"#;
/// Gina's message asking for Fraud Signals.
const MESSAGE: &str = r#"</blockquote><a href="javascript:window.__pwned=1">read me</a>"#;
/// Gina's name (set in the database: only sign-up sets people's names).
const PERSON: &str = r#"<svg onload="window.__pwned=1"></svg>Gina"#;
/// Globex's name, breaking out of an attribute if it were pasted into one.
const TEAM: &str = r#""><b onmouseover="window.__pwned=1">Globex</b>"#;

/// What the payloads would create if they were parsed as HTML.
const HOSTILE: &str = "img[src='x'], [onerror], [onload], [onmouseover], [href^='javascript:']";

/// A confirmation opened from the partner team drawer.
const CONFIRM: &str = "//dialog[@open]//dialog[@open]";

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// A server whose access-request digests are written at once, with every payload in
/// place; and the id of Payments API.
async fn start() -> (Env, String) {
    let env = Env::start_with(&["--digest-window-secs", "0"]).await;
    let payments = env.acme_workspace_id("Payments API").await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;

    // Names people and teams get at sign-up, which the API cannot change.
    let mut db = env.database().connect().await;
    for (sql, value) in [
        (
            "UPDATE users SET name = $1 WHERE email = 'gina@globex.test'",
            PERSON,
        ),
        (
            "UPDATE teams SET name = $1 WHERE domain = 'globex.test'",
            TEAM,
        ),
    ] {
        assert_eq!(db.execute(sql, &[value]).await, 1, "{sql}");
    }
    db.close().await;

    // The rest as people do it: Alice renames Payments API and invites Uma (an email that
    // names it); Gina asks for Fraud Signals (a digest to Acme's admins).
    let alice = env.api_client("alice@acme.test").await;
    send(
        &alice,
        reqwest::Method::PATCH,
        &format!("{}/api/workspaces/{payments}/settings", env.base),
        json!({ "name": NAME, "summary": SUMMARY }),
        200,
    )
    .await;
    send(
        &alice,
        reqwest::Method::POST,
        &format!("{}/api/workspaces/{payments}/partners", env.base),
        json!({ "email": "uma@umbrella.test", "role": "viewer" }),
        201,
    )
    .await;
    let gina = env.api_client("gina@globex.test").await;
    send(
        &gina,
        reqwest::Method::POST,
        &format!("{}/api/workspaces/{fraud}/access-requests", env.base),
        json!({ "message": MESSAGE }),
        201,
    )
    .await;
    (env, payments)
}

/// Sends a mutating API request and checks its status.
async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: serde_json::Value,
    expected: u16,
) {
    let response = client
        .request(method, url)
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        status,
        expected,
        "{url}: {}",
        response.text().await.unwrap_or_default()
    );
}

/// Waits until `text` is shown, verbatim, by a visible element under `scope` (an XPath
/// such as `//main`), and gives the innermost such element.
async fn shown(env: &Env, scope: &str, text: &str) -> WebElement {
    let literal = xpath_literal(text);
    let element = env
        .driver
        .query(By::XPath(format!(
            "{scope}//*[contains(., {literal})][not(*[contains(., {literal})])]"
        )))
        .and_displayed()
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("{text:?} is not shown as text under {scope}: {e}"));
    // The DOM's text, not the rendered one: a heading may be styled in capitals.
    let seen = element
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        seen.contains(text),
        "{scope} renders {seen:?}, not {text:?}"
    );
    element
}

/// Waits for the `tag` (a role-like XPath, as in `Env::find_text`) showing `text`, and
/// checks it shows exactly that.
async fn exactly(env: &Env, tag: &str, text: &str) -> WebElement {
    let element = env.find_text(tag, text).await;
    assert_eq!(element.text().await.unwrap(), text, "<{tag}>");
    element
}

/// Fails if markup of a payload became elements in the current document (or frame).
async fn no_markup_in_document(env: &Env, place: &str) {
    let mut made = Vec::new();
    for by in [
        By::Css(HOSTILE),
        By::XPath("//script[contains(., '__pwned')]"),
    ] {
        for element in env.driver.find_all(by).await.unwrap() {
            made.push(element.outer_html().await.unwrap_or_default());
        }
    }
    assert!(
        made.is_empty(),
        "{place}: payloads became elements: {made:?}"
    );
}

/// Fails if markup of a payload became elements on the page, or ran.
async fn nothing_ran(env: &Env, place: &str) {
    no_markup_in_document(env, place).await;
    let pwned = env
        .driver
        .execute("return typeof window.__pwned;", Vec::new())
        .await
        .unwrap();
    assert_eq!(pwned.json(), &json!("undefined"), "{place}: a payload ran");
}

/// Presses Cancel in `dialog` (an XPath to an open dialog) and waits until it is closed.
async fn cancel(env: &Env, dialog: &str) {
    env.click(By::XPath(format!(
        "{dialog}//button[normalize-space(.)='Cancel']"
    )))
    .await;
    env.until_none(By::XPath(dialog.to_owned())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_workspace_people_and_team_names_is_text_on_workspace_pages() {
    let (env, payments) = start().await;

    // Ivan, a partner, among his External Workspaces.
    env.sign_in("ivan@initech.test").await;
    env.open("/workspaces?tab=shared_partner").await;
    exactly(&env, "main//table//a", NAME).await;
    shown(&env, "//main//table", SUMMARY).await;
    nothing_ran(&env, "External Workspaces").await;

    // The workspace page: its heading, summary and members.
    env.open(&format!("/workspace/{payments}")).await;
    exactly(&env, "main//h1", NAME).await;
    shown(&env, "//main", SUMMARY).await;
    shown(&env, "//main", PERSON).await;
    shown(&env, "//main", TEAM).await;
    nothing_ran(&env, "the workspace page").await;

    // Alice's own list of workspaces.
    env.sign_in_as("alice@acme.test").await;
    shown(&env, "//main//table", NAME).await;
    shown(&env, "//main//table", SUMMARY).await;
    nothing_ran(&env, "All workspaces").await;

    // Workspace settings: the heading, the form, the partner list.
    env.open(&format!("/workspace/{payments}/settings")).await;
    exactly(&env, "main//h1", &format!("{NAME} settings")).await;
    assert_eq!(
        env.field("Name").await.value().await.unwrap().as_deref(),
        Some(NAME)
    );
    let team = shown(&env, "//*[@data-testid='partner-team']", TEAM).await;
    assert_eq!(team.text().await.unwrap(), TEAM);
    shown(&env, "//*[@data-testid='partner']", PERSON).await;
    env.driver
        .find(By::XPath(format!(
            "//select[@id=//label[normalize-space(.)={}]/@for]",
            xpath_literal(&format!("Role of {PERSON}"))
        )))
        .await
        .expect("Gina's role select, labelled with her name as text");
    nothing_ran(&env, "workspace settings").await;

    // The multi-partner dialog names the Editor who becomes a Viewer and every team.
    env.until_switch("false").await;
    env.click(By::Css("[role=switch]")).await;
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    let editors = "//dialog[@open]//*[@data-testid='editors-to-viewers']";
    shown(&env, editors, PERSON).await;
    exactly(
        &env,
        "dialog[@open]//*[@data-testid='editors-to-viewers']/li",
        &format!("{PERSON} · gina@globex.test · {TEAM}"),
    )
    .await;
    let hidden = "//dialog[@open]//*[@data-testid='teams-hidden']";
    let globex = shown(&env, hidden, TEAM).await;
    let globex = globex.text().await.unwrap();
    assert!(
        globex.starts_with(&format!("{TEAM} (")) && globex.contains(PERSON),
        "{globex}"
    );
    nothing_ran(&env, "the multi-partner dialog").await;
    cancel(&env, "//dialog[@open]").await;
    env.until_switch("false").await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_names_and_messages_is_text_on_partnerships() {
    let (env, _) = start().await;
    env.sign_in("alice@acme.test").await;
    env.open(PARTNERSHIPS).await;

    // The table of partner teams.
    let team_link = "table//a[contains(@class,'team-name')]";
    exactly(&env, team_link, TEAM).await;

    // Gina's access request: her name, her team, her message; Gary's names his team.
    let ginas = "//li[contains(@class,'request')][contains(., 'gina@globex.test')]";
    shown(&env, ginas, PERSON).await;
    shown(&env, ginas, &format!("gina@globex.test · {TEAM}")).await;
    let message = shown(&env, ginas, MESSAGE).await;
    assert_eq!(message.tag_name().await.unwrap(), "blockquote");
    assert_eq!(message.text().await.unwrap(), MESSAGE);
    let garys = "//li[contains(@class,'request')][contains(., 'gary@globex.test')]";
    shown(&env, garys, &format!("gary@globex.test · {TEAM}")).await;
    nothing_ran(&env, "Partnerships").await;

    // The team's drawer: its title, its people, the workspaces shared with it.
    exactly(&env, team_link, TEAM).await.click().await.unwrap();
    env.find_text(
        "dialog[@open]//li[contains(@class,'person')]",
        "gina@globex.test",
    )
    .await;
    assert!(
        env.path()
            .await
            .starts_with(&format!("{PARTNERSHIPS}?team="))
    );
    exactly(&env, "dialog[@open]//h2", TEAM).await;
    shown(
        &env,
        "//dialog[@open]//li[contains(@class,'person')]",
        PERSON,
    )
    .await;
    shown(
        &env,
        "//dialog[@open]//li[contains(@class,'workspace')]",
        NAME,
    )
    .await;
    shown(
        &env,
        "//dialog[@open]",
        &format!("Workspaces shared with {TEAM}"),
    )
    .await;
    nothing_ran(&env, "the partner team drawer").await;

    // Removing Gina from Payments API asks first, naming both.
    env.click(By::XPath(format!(
        "//dialog[@open]//button[@aria-label={}]",
        xpath_literal(&format!("Remove {PERSON} from {NAME}"))
    )))
    .await;
    exactly(
        &env,
        "dialog[@open]//dialog[@open]//h2",
        &format!("Remove {PERSON} from {NAME}?"),
    )
    .await;
    shown(
        &env,
        CONFIRM,
        &format!("{PERSON} (gina@globex.test) loses access to {NAME} right away."),
    )
    .await;
    nothing_ran(&env, "the remove-partner confirmation").await;
    cancel(&env, CONFIRM).await;

    // Ending the partnership asks first, naming the team and its workspace.
    env.button("Remove partnership…")
        .await
        .click()
        .await
        .unwrap();
    exactly(
        &env,
        "dialog[@open]//dialog[@open]//h2",
        &format!("Remove {TEAM} as a partner?"),
    )
    .await;
    shown(
        &env,
        CONFIRM,
        &format!("2 partners from {TEAM} lose access to 1 workspace: {NAME}."),
    )
    .await;
    nothing_ran(&env, "the remove-partnership confirmation").await;
    cancel(&env, CONFIRM).await;

    // Nothing was removed.
    shown(
        &env,
        "//dialog[@open]//li[contains(@class,'person')]",
        PERSON,
    )
    .await;

    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_names_and_messages_is_text_in_emails() {
    let (env, _) = start().await;
    let invitation = format!("You're invited to {NAME} by Acme Payments");
    let digest = "1 new access request to Acme Payments workspaces";
    let digest_to_alice = format!(
        "//a[contains(., {})][contains(., 'alice@acme.test')]",
        xpath_literal(digest)
    );

    // The email worker writes the digest on its own time: wait for it, then read.
    until_email(&env, "alice@acme.test", digest).await;
    env.open("/dev/mailbox").await;
    env.find_text("h1", "Dev mailbox").await;
    shown(&env, "//nav", &invitation).await;
    shown(&env, "//nav", digest).await;
    nothing_ran(&env, "the mailbox list").await;

    // Uma's invitation names the workspace in its subject and its body.
    env.find_text("a", &invitation).await.click().await.unwrap();
    exactly(&env, "article//h2", &invitation).await;
    nothing_ran(&env, "the invitation's headers").await;
    read_frame(&env, &invitation, &[NAME]).await;

    // The digest names Gina, her team and her message.
    env.click(By::XPath(digest_to_alice)).await;
    exactly(&env, "article//h2", digest).await;
    read_frame(&env, digest, &[PERSON, TEAM, MESSAGE]).await;
    env.find_text("summary", "Text version")
        .await
        .click()
        .await
        .unwrap();
    for text in [PERSON, TEAM, MESSAGE] {
        shown(&env, "//article//details", text).await;
    }
    nothing_ran(&env, "the digest").await;

    env.finish().await;
}

/// Waits until the outbox holds an email to `to` with `subject`.
async fn until_email(env: &Env, to: &str, subject: &str) {
    let url = format!("{}/api/dev/mailbox?per_page=200", env.base);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let outbox: serde_json::Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        let found = outbox["items"]
            .as_array()
            .expect("a page of emails")
            .iter()
            .any(|email| email["to"] == to && email["subject"] == subject);
        if found {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no email {subject:?} to {to} in {outbox}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Checks inside the sandboxed frame of the email with `subject` that each of `texts` is
/// shown as text and no payload became elements.
async fn read_frame(env: &Env, subject: &str, texts: &[&str]) {
    let frame = env
        .driver
        .query(By::XPath(format!(
            "//iframe[@title={}]",
            xpath_literal(&format!("Email: {subject}"))
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no frame for {subject:?}: {e}"));
    frame.enter_frame().await.unwrap();
    for text in texts {
        shown(env, "//body", text).await;
    }
    no_markup_in_document(env, &format!("the email {subject:?}")).await;
    env.driver.enter_default_frame().await.unwrap();
}
