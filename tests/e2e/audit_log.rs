//! Governance: Team Settings > Audit log (paul, Acme's Partner Manager, filters it in the URL
//! and downloads the CSV of the same filters, in his own browser session) and access that
//! expires (wanda invites a partner for 7 days; the partner list shows the end and extends
//! it), with axe audits of the audit log's states at 1280 and 375 px.

use std::time::{Duration, Instant};

use partner_api::expiry::{AccessEnd, AccessPeriod};
use partner_workspaces::components::relative_time::calendar_day;
use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::Env;

const AUDIT_LOG: &str = "/settings/team/audit-log";

/// The sentence the log shows once Wanda turned on multi-partner mode in Payments API.
const TURNED_ON: &str = "turned on multi-partner mode in Payments API";

/// The header of the audit log's CSV, as the server writes it.
const CSV_HEADER: [&str; 12] = [
    "Time (UTC)",
    "Action",
    "What happened",
    "Actor",
    "Actor email",
    "Workspace",
    "Other team",
    "Person",
    "Person email",
    "Before",
    "After",
    "Access ends",
];

/// The rows of a CSV document (RFC 4180: quoted fields may hold commas, quotes, newlines).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Fetches `href` in the page's own session (its cookies, as the download link would) and
/// returns the status, the content type and the body.
async fn fetch_in_browser(env: &Env, href: &str) -> (u64, String, String) {
    let answer = env
        .driver
        .execute_async(
            "const [href, done] = arguments;
             fetch(href, { credentials: 'same-origin' })
               .then(r => r.text().then(body => done({
                   status: r.status, kind: r.headers.get('content-type') || '', body })))
               .catch(e => done({ status: 0, kind: '', body: String(e) }));",
            vec![Value::String(href.to_owned())],
        )
        .await
        .unwrap()
        .json()
        .clone();
    (
        answer["status"].as_u64().unwrap(),
        answer["kind"].as_str().unwrap().to_owned(),
        answer["body"].as_str().unwrap().to_owned(),
    )
}

/// The sentences of the entries the page shows, once it shows some.
async fn shown_sentences(env: &Env) -> Vec<String> {
    let entries = env
        .driver
        .query(By::Css("[data-testid=audit-entry] .sentence"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .all_from_selector_required()
        .await
        .unwrap();
    let mut sentences = Vec::new();
    for entry in entries {
        sentences.push(entry.text().await.unwrap());
    }
    sentences
}

/// Waits until every entry shown is one of `action`'s (the filtered answer arrived).
async fn until_only(env: &Env, words: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let sentences = shown_sentences(env).await;
        if sentences.iter().all(|s| s.contains(words)) {
            return sentences;
        }
        assert!(
            Instant::now() < deadline,
            "entries other than {words:?} still shown: {sentences:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Turns multi-partner mode on in Payments API as wanda (an entry for the log).
async fn wanda_turns_on_multi_partner_mode(env: &Env) {
    let payments = env.acme_workspace_id("Payments API").await;
    let wanda = env.api_client("wanda@acme.test").await;
    let changed = wanda
        .patch(format!("{}/api/workspaces/{payments}/settings", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        .json(&serde_json::json!({ "multi_partner_mode": true }))
        .send()
        .await
        .unwrap();
    assert!(changed.status().is_success(), "{}", changed.status());
}

#[tokio::test(flavor = "multi_thread")]
async fn paul_filters_the_audit_log_by_action_and_downloads_the_same_entries_as_csv() {
    let env = Env::start().await;
    wanda_turns_on_multi_partner_mode(&env).await;
    let mut found = Vec::new();

    env.sign_in("paul@acme.test").await;
    env.open("/settings/team/general").await;
    // The nav offers the log to a Partner Manager.
    env.click_text("nav//a", "Audit log").await;
    env.until_path(AUDIT_LOG).await;
    env.find_text("h1", "Audit log").await;
    env.find_text("li[@data-testid='audit-entry']", TURNED_ON)
        .await;
    found.extend(audit(&env, "audit log").await);

    // Filter by action: the URL says so, a reload keeps it, only those entries show.
    let action = "workspace.multi_partner_on";
    SelectElement::new(&env.driver.find(By::Id("audit-action")).await.unwrap())
        .await
        .unwrap()
        .select_by_value(action)
        .await
        .unwrap();
    let filtered = format!("{AUDIT_LOG}?action={action}");
    env.until_path(&filtered).await;
    env.driver.refresh().await.unwrap();
    env.find_text("h1", "Audit log").await;
    let sentences = until_only(&env, "turned on multi-partner mode").await;
    assert!(
        sentences
            .iter()
            .any(|s| s.contains(TURNED_ON) && s.contains("Wanda")),
        "{sentences:?}"
    );
    let selected = env
        .driver
        .find(By::Id("audit-action"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(selected.as_deref(), Some(action));
    // The time is relative, with the exact time on hover.
    let time = env
        .driver
        .find(By::Css("[data-testid=audit-entry] time"))
        .await
        .unwrap();
    assert!(
        time.attr("title")
            .await
            .unwrap()
            .unwrap_or_default()
            .ends_with("UTC"),
        "the exact time is in the title"
    );
    found.extend(audit(&env, "audit log, filtered by action").await);

    // The CSV link carries the same filters; fetched in the browser's session it holds
    // exactly the entries the page shows, as the same sentences.
    let href = env
        .find_text("a", "Download CSV")
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("the link has an href");
    assert_eq!(href, format!("/api/team/audit-log.csv?action={action}"));
    let (status, kind, body) = fetch_in_browser(&env, &href).await;
    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let mut rows = parse_csv(&body);
    assert_eq!(rows.remove(0), CSV_HEADER);
    assert!(!rows.is_empty(), "the CSV has no entries");
    assert!(
        rows.iter().all(|r| r[1] == "Multi-partner mode turned on"),
        "{rows:?}"
    );
    let csv_sentences: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
    assert_eq!(
        csv_sentences, sentences,
        "the CSV and the page say the same"
    );
    assert!(
        rows.iter()
            .any(|r| r[4] == "wanda@acme.test" && r[5] == "Payments API")
    );

    // Nothing matches: the empty state says so, with a way back.
    let tomorrow_next_year = "2099-01-01";
    env.open(&format!("{filtered}&from={tomorrow_next_year}"))
        .await;
    env.find_text("h3", "No entries match these filters").await;
    found.extend(audit(&env, "audit log, no match").await);
    env.click_text("button", "Clear filters").await;
    env.until_path(AUDIT_LOG).await;
    env.find_text("li[@data-testid='audit-entry']", TURNED_ON)
        .await;

    // Someone who may not read it gets the no-permission panel, and no nav link.
    env.sign_in_as("mike@acme.test").await;
    env.open(AUDIT_LOG).await;
    env.find_text(
        "*",
        "Only Team Admins and Partner Managers can see the audit log",
    )
    .await;
    env.assert_none(By::Css("[data-testid=audit-entry]")).await;
    found.extend(audit(&env, "audit log, no permission").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wanda_invites_a_partner_for_seven_days_and_the_partner_list_shows_the_end() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;

    env.sign_in("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h3", "Invite partners").await;
    env.driver
        .find(By::Id("invite-emails"))
        .await
        .unwrap()
        .send_keys("uma@umbrella.test")
        .await
        .unwrap();
    SelectElement::new(&env.driver.find(By::Id("invite-ends")).await.unwrap())
        .await
        .unwrap()
        .select_by_value("days7")
        .await
        .unwrap();
    env.click_text("button", "Invite").await;
    env.find_text("li[@data-testid='invite-result']", "Invited")
        .await;

    // The server's end for the grant, as the list must show it.
    let wanda = env.api_client("wanda@acme.test").await;
    let members: Value = wanda
        .get(format!("{}/api/workspaces/{payments}/members", env.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uma = members["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user"]["email"] == "uma@umbrella.test")
        .unwrap_or_else(|| panic!("uma is not a partner: {members}"));
    let ends_at = uma["ends_at"].as_str().expect("uma's access ends");
    let day = calendar_day(ends_at).unwrap();
    let row = env
        .find_text("li[@data-testid='partner']", "uma@umbrella.test")
        .await;
    let ends = row
        .find(By::Css("[data-testid=partner-ends]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ends, format!("Ends {day}"));
    // Seven days from now, by the server's clock and the browser's alike.
    let seconds = partner_workspaces::components::relative_time::parse_rfc3339(ends_at).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let days = (seconds - now) as f64 / 86_400.0;
    assert!((6.9..=7.1).contains(&days), "ends in {days} days");
    // Partners without an end show none.
    let gary = env
        .find_text("li[@data-testid='partner']", "gary@globex.test")
        .await;
    assert!(
        gary.find_all(By::Css("[data-testid=partner-ends]"))
            .await
            .unwrap()
            .is_empty()
    );

    // Extend in one click: the team has no default, so 30 days more.
    env.click(By::XPath(
        "//button[@aria-label='Extend access for Uma Ueda']".to_owned(),
    ))
    .await;
    let toast = env
        .find_text("*[@role='status']", "access to Payments API now ends on")
        .await
        .text()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = env
            .find_text("li[@data-testid='partner']", "uma@umbrella.test")
            .await
            .find(By::Css("[data-testid=partner-ends]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if shown != format!("Ends {day}") {
            let new_day = shown.trim_start_matches("Ends ");
            assert!(toast.contains(new_day), "{toast} / {shown}");
            break;
        }
        assert!(Instant::now() < deadline, "the end didn't move: {shown}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alice_sets_the_team_default_which_invitations_name_and_the_log_records() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;

    env.sign_in("alice@acme.test").await;
    env.open("/settings/team/general").await;
    env.find_text("h2", "Partner access and audit log").await;
    SelectElement::new(
        &env.driver
            .find(By::Id("team-default-access"))
            .await
            .unwrap(),
    )
    .await
    .unwrap()
    .select_by_value("days30")
    .await
    .unwrap();
    let retention = env
        .driver
        .find(By::Id("team-audit-retention"))
        .await
        .unwrap();
    retention.clear().await.unwrap();
    retention.send_keys("399").await.unwrap();
    env.click(By::XPath("//button[normalize-space(.)='Save']".to_owned()))
        .await;
    env.find_text("p", "Keep the audit log for 400 to 3,650 days.")
        .await;
    retention.clear().await.unwrap();
    retention.send_keys("730").await.unwrap();
    env.click(By::XPath("//button[normalize-space(.)='Save']".to_owned()))
        .await;
    env.find_text("*[@role='status']", "New partner access lasts 30 days.")
        .await;

    // The log says so, and the invitation form names the default.
    env.open(&format!("{AUDIT_LOG}?action=team.default_access_changed"))
        .await;
    env.find_text(
        "li[@data-testid='audit-entry']",
        "changed how long new partner access lasts",
    )
    .await;
    env.sign_in_as("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("select[@id='invite-ends']/option", "Team default (30 days)")
        .await;
    // People who aren't Team Admins see the values, read-only.
    env.open("/settings/team/general").await;
    let shown = env
        .driver
        .query(By::Css("[data-testid=team-default-access]"))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, "30 days");
    env.find_text("p", "Only Team Admins can change these.")
        .await;
    env.finish().await;
}

/// Ends gary's access to Payments API the way the expiry job does: at its end, with no
/// reason (the job runs on the server's schedule; the test can't wait for it).
async fn garys_access_expired(env: &Env, payments: &str) {
    let mut db = env.database().connect().await;
    let sql = "UPDATE partner_grants SET ends_at = '2026-01-10T23:59:59Z', \
               revoked_at = '2026-01-11T00:00:05Z' \
               WHERE workspace_id = $1 \
               AND user_id = (SELECT id FROM users WHERE email = 'gary@globex.test')";
    assert_eq!(db.execute(sql, &[payments]).await, 1, "{sql}");
    db.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partner_whose_access_expired_is_told_when_and_can_ask_again() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    garys_access_expired(&env, &payments).await;

    env.sign_in("gary@globex.test").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h1", "Your access to this workspace ended on 10 Jan 2026")
        .await;
    env.find_text("p", "gary@globex.test (Globex)").await;
    let found = audit(&env, "workspace, access expired").await;
    env.driver
        .find(By::Id("access-message"))
        .await
        .unwrap()
        .send_keys("Still working on the checkout integration.")
        .await
        .unwrap();
    env.click_text("button", "Request access").await;
    env.find_text("*[@role='status']", "Request sent.").await;
    assert_none(&found);
    env.finish().await;
}

/// Screenshots of the pages this work touched, for a person to look at
/// (`SCREENSHOTS=folder cargo test … -- --ignored governance_screenshots`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn governance_screenshots() {
    use crate::screenshots::shoot;
    let dir = std::path::PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    wanda_turns_on_multi_partner_mode(&env).await;
    let payments = env.acme_workspace_id("Payments API").await;

    env.sign_in("paul@acme.test").await;
    env.open(AUDIT_LOG).await;
    env.find_text("li[@data-testid='audit-entry']", TURNED_ON)
        .await;
    shoot(&env, &dir, "audit-log").await;
    env.open("/settings/team/partnerships/external-partners")
        .await;
    env.find_text("h2", "Access requests").await;
    env.find_text("label", "Approved access ends").await;
    shoot(&env, &dir, "partnerships-requests").await;

    env.sign_in_as("alice@acme.test").await;
    env.open("/settings/team/general").await;
    env.find_text("h2", "Partner access and audit log").await;
    shoot(&env, &dir, "team-general").await;

    env.sign_in_as("wanda@acme.test").await;
    let wanda = env.api_client("wanda@acme.test").await;
    let invited = wanda
        .post(format!("{}/api/workspaces/{payments}/partners", env.base))
        .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
        // Serialized by the contract crate: its wire name for 7 days is not settled
        // (notes/ui15-requests.md).
        .json(&serde_json::json!({
            "email": "uma@umbrella.test",
            "role": "viewer",
            "ends": AccessEnd::Period(AccessPeriod::Days7),
        }))
        .send()
        .await
        .unwrap();
    let status = invited.status();
    assert!(
        status.is_success(),
        "{status}: {}",
        invited.text().await.unwrap()
    );
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h3", "Invite partners").await;
    env.find_text("span", "Ends ").await;
    SelectElement::new(&env.driver.find(By::Id("invite-ends")).await.unwrap())
        .await
        .unwrap()
        .select_by_value("on")
        .await
        .unwrap();
    env.find_text("label", "End date").await;
    shoot(&env, &dir, "workspace-settings-invite").await;

    garys_access_expired(&env, &payments).await;
    env.sign_in_as("gary@globex.test").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h1", "ended on").await;
    shoot(&env, &dir, "workspace-expired").await;

    env.sign_in_as("paul@acme.test").await;
    env.open("/settings/team/partnerships/external-partners")
        .await;
    env.click_text("a", "Umbrella").await;
    env.find_text("dialog[@open]//span", "Ends ").await;
    shoot(&env, &dir, "partnerships-drawer-ends").await;
    env.finish().await;
}
