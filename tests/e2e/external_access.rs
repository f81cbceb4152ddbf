//! Team Settings > External access: a partner team's Team Admin (gwen, Globex) sees what her
//! people can open in other companies' workspaces, filters it in the URL, exports the
//! filtered rows as CSV and ends access; the publisher is told by email and the person's
//! session loses the workspace at once.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::a11y::{assert_none, audit};
use crate::harness::{Env, xpath_literal};

const EXTERNAL_ACCESS: &str = "/settings/team/external-access";

/// The header of the CSV export, as the server writes it (the contract note says `lead`;
/// the server and its own tests say `partner_lead`).
const CSV_HEADER: [&str; 8] = [
    "publisher",
    "workspace",
    "person",
    "email",
    "role",
    "partner_lead",
    "since",
    "last_opened",
];

/// The table row of `person` in `workspace`.
fn row(person: &str, workspace: &str) -> By {
    By::XPath(format!(
        "//tr[@data-testid='grant'][.//*[normalize-space(.)={}]][./td[normalize-space(.)={}]]",
        xpath_literal(person),
        xpath_literal(workspace)
    ))
}

/// Waits for the row of `person` in `workspace` and returns its text.
async fn row_text(env: &Env, person: &str, workspace: &str) -> String {
    env.driver
        .query(row(person, workspace))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no row of {person} in {workspace}: {e}"))
        .text()
        .await
        .unwrap()
}

/// `GET path` of the API as `client`, decoded.
async fn get_json(env: &Env, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let response = client
        .get(format!("{}{path}", env.base))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// The id of the publisher named `name` in gwen's External access.
async fn publisher_id(env: &Env, gwen: &reqwest::Client, name: &str) -> String {
    let (status, access) = get_json(env, gwen, "/api/team/external-access").await;
    assert_eq!(status, 200, "{access}");
    access["publishers"]
        .as_array()
        .expect("publishers")
        .iter()
        .find(|p| p["publisher"]["name"] == name)
        .unwrap_or_else(|| panic!("no publisher {name} in {access}"))["publisher"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

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

/// Every grant the JSON list gives for `query` (all pages), as (publisher, workspace,
/// email, role, lead) — what the CSV of the same filters must hold.
async fn listed(env: &Env, client: &reqwest::Client, query: &str) -> BTreeSet<Vec<String>> {
    let mut rows = BTreeSet::new();
    let mut page = 1;
    loop {
        let (status, answer) = get_json(
            env,
            client,
            &format!("/api/team/external-access?{query}&per_page=200&page={page}"),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        let items = answer["grants"]["items"].as_array().unwrap();
        for grant in items {
            rows.insert(vec![
                grant["publisher"]["name"].as_str().unwrap().to_owned(),
                grant["workspace"]["name"].as_str().unwrap().to_owned(),
                grant["person"]["email"].as_str().unwrap().to_owned(),
                grant["role"].as_str().unwrap().to_owned(),
                grant["lead"].as_bool().unwrap().to_string(),
            ]);
        }
        if items.len() < 200 {
            return rows;
        }
        page += 1;
    }
}

/// The CSV the page's "Download CSV" link points at, fetched as `client`: its header and
/// its rows as (publisher, workspace, email, role, lead).
async fn download(
    env: &Env,
    client: &reqwest::Client,
    href: &str,
) -> (Vec<String>, BTreeSet<Vec<String>>) {
    let response = client
        .get(format!("{}{href}", env.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET {href}");
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(kind.starts_with("text/csv"), "{href} is {kind}");
    let mut rows = parse_csv(&response.text().await.unwrap());
    assert!(!rows.is_empty(), "{href} has no header");
    let header = rows.remove(0);
    let body = rows
        .into_iter()
        .map(|r| {
            assert_eq!(r.len(), CSV_HEADER.len(), "{r:?}");
            // The lead column as the JSON says it ("yes" is `true`).
            let lead = match r[5].as_str() {
                "yes" => "true",
                "no" => "false",
                other => panic!("partner_lead is {other:?}"),
            };
            vec![
                r[0].clone(),
                r[1].clone(),
                r[3].clone(),
                r[4].clone(),
                lead.to_owned(),
            ]
        })
        .collect();
    (header, body)
}

/// The "Download CSV" link's target, as the page has it now.
async fn csv_href(env: &Env) -> String {
    env.find_text("a", "Download CSV")
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("the link has an href")
}

/// Waits until the outbox holds a new email to `to` (beyond the `before` first ones) whose
/// text names every one of `words`, and returns its subject.
async fn until_email(env: &Env, to: &str, before: usize, words: &[&str]) -> String {
    let url = format!(
        "{}/api/dev/mailbox?per_page=200&to={}",
        env.base,
        to.replace('@', "%40")
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let outbox: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        let items = outbox["items"].as_array().expect("a page of emails");
        // Newest first: the new ones are the first `len - before`.
        let new = &items[..items.len().saturating_sub(before)];
        if let Some(email) = new.iter().find(|email| {
            let text = format!("{} {}", email["subject"], email["text"]);
            words.iter().all(|w| text.contains(w))
        }) {
            return email["subject"].as_str().unwrap().to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no new email to {to} naming {words:?} in {outbox}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many emails `to` has had so far.
async fn emails_to(env: &Env, to: &str) -> usize {
    let url = format!(
        "{}/api/dev/mailbox?per_page=200&to={}",
        env.base,
        to.replace('@', "%40")
    );
    let outbox: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
    outbox["items"].as_array().expect("a page of emails").len()
}

/// Waits until the page's select `id` shows `value`.
async fn until_selected(env: &Env, id: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = env
            .driver
            .find(By::Id(id))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        if shown.as_deref() == Some(value) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "#{id} shows {shown:?}, expected {value}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gwen_filters_by_publisher_exports_the_rows_and_ends_garys_access_to_payments_api() {
    let mut env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let gwen = env.api_client("gwen@globex.test").await;
    let acme = publisher_id(&env, &gwen, "Acme Payments").await;
    // Gary signed in before his access ends: that session must lose it at once.
    let gary = env.api_client("gary@globex.test").await;
    let (status, _) = get_json(&env, &gary, &format!("/api/workspaces/{payments}")).await;
    assert_eq!(status, 200, "gary can open Payments API before");
    let mut found = Vec::new();

    env.sign_in("gwen@globex.test").await;
    env.open(EXTERNAL_ACCESS).await;
    env.find_text("h1", "External access").await;
    let gina = row_text(&env, "Gina Gray", "Payments API").await;
    assert!(gina.contains("Acme Payments"), "{gina}");
    assert!(gina.contains("gina@globex.test"), "{gina}");
    assert!(
        gina.contains("Editor") && gina.contains("Partner Lead"),
        "{gina}"
    );
    let gary_row = row_text(&env, "Gary Green", "Payments API").await;
    assert!(gary_row.contains("Viewer"), "{gary_row}");
    assert!(!gary_row.contains("Partner Lead"), "{gary_row}");
    found.extend(audit(&env, "external access").await);

    // Filter by publisher: the URL says so, and a reload keeps it.
    let select = SelectElement::new(&env.driver.find(By::Id("external-publisher")).await.unwrap())
        .await
        .unwrap();
    select.select_by_value(&acme).await.unwrap();
    let filtered = format!("{EXTERNAL_ACCESS}?publisher={acme}");
    env.until_path(&filtered).await;
    env.driver.refresh().await.unwrap();
    env.find_text("h1", "External access").await;
    until_selected(&env, "external-publisher", &acme).await;
    row_text(&env, "Gary Green", "Payments API").await;
    let rows = env
        .driver
        .find_all(By::Css("tr[data-testid=grant]"))
        .await
        .unwrap();
    for row in rows {
        let text = row.text().await.unwrap();
        assert!(text.contains("Acme Payments"), "only Acme's rows: {text}");
    }
    env.find_text("button", "End all access with Acme Payments")
        .await;
    found.extend(audit(&env, "external access, one publisher").await);

    // The CSV link carries the filters; fetched as gwen it holds exactly the filtered rows.
    let href = csv_href(&env).await;
    assert_eq!(
        href,
        format!("/api/team/external-access.csv?publisher={acme}")
    );
    let (header, csv) = download(&env, &gwen, &href).await;
    assert_eq!(header, CSV_HEADER);
    assert_eq!(csv, listed(&env, &gwen, &format!("publisher={acme}")).await);
    assert!(
        csv.iter()
            .any(|r| r[1] == "Payments API" && r[2] == "gary@globex.test"),
        "{csv:?}"
    );
    assert!(csv.iter().all(|r| r[0] == "Acme Payments"), "{csv:?}");

    // A role too: only Viewers (Gina is an Editor there).
    let role = SelectElement::new(&env.driver.find(By::Id("external-role")).await.unwrap())
        .await
        .unwrap();
    role.select_by_value("viewer").await.unwrap();
    env.until_path(&format!("{filtered}&role=viewer")).await;
    env.until_none(row("Gina Gray", "Payments API")).await;
    let href = csv_href(&env).await;
    assert_eq!(
        href,
        format!("/api/team/external-access.csv?publisher={acme}&role=viewer")
    );
    let (_, viewers) = download(&env, &gwen, &href).await;
    assert_eq!(
        viewers,
        listed(&env, &gwen, &format!("publisher={acme}&role=viewer")).await
    );
    assert!(viewers.iter().all(|r| r[3] == "viewer"), "{viewers:?}");
    assert!(
        viewers.iter().any(|r| r[2] == "gary@globex.test"),
        "{viewers:?}"
    );
    assert!(
        !viewers.iter().any(|r| r[2] == "gina@globex.test"),
        "{viewers:?}"
    );

    // End Gary's access to Payments API: the dialog says who loses what and who is told.
    let paul_before = emails_to(&env, "paul@acme.test").await;
    env.click(By::XPath(
        "//button[@aria-label='End access for Gary Green to Payments API']".to_owned(),
    ))
    .await;
    let dialog = env
        .find_text("dialog[@open]", "End Gary Green's access to Payments API?")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dialog.contains(
            "Gary Green (gary@globex.test) can no longer open Payments API, a workspace of Acme \
             Payments"
        ),
        "{dialog}"
    );
    assert!(
        dialog.contains("The Partner Managers and Team Admins at Acme Payments get an email"),
        "{dialog}"
    );
    found.extend(audit(&env, "external access, end access dialog").await);
    env.click(By::XPath(
        "//dialog[@open]//button[normalize-space(.)='End access']".to_owned(),
    ))
    .await;
    env.find_text(
        "*[@role='status']",
        "Gary Green can no longer open Payments API.",
    )
    .await;
    env.until_none(row("Gary Green", "Payments API")).await;
    env.until_none(By::Css("dialog[open]")).await;

    // Paul, Acme's Partner Manager, got an email about it.
    until_email(
        &env,
        "paul@acme.test",
        paul_before,
        &["Gary Green", "Payments API"],
    )
    .await;
    // Gary's session no longer sees Payments API, in the list or on its own.
    let (status, _) = get_json(&env, &gary, &format!("/api/workspaces/{payments}")).await;
    assert_ne!(status, 200, "gary's session still opens Payments API");
    let (status, shared) = get_json(
        &env,
        &gary,
        "/api/workspaces?tab=shared_partner&per_page=200",
    )
    .await;
    assert_eq!(status, 200, "{shared}");
    assert!(
        !shared["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == payments.as_str()),
        "{shared}"
    );

    // A search that matches nothing.
    env.open(&format!("{EXTERNAL_ACCESS}?q=zzqx-nobody")).await;
    env.find_text("h3", "No results for 'zzqx-nobody'").await;
    found.extend(audit(&env, "external access, no results").await);

    // The server goes away; the next request the page makes fails, with Retry.
    env.stop_server().await;
    let role = SelectElement::new(&env.driver.find(By::Id("external-role")).await.unwrap())
        .await
        .unwrap();
    role.select_by_value("editor").await.unwrap();
    env.button("Retry").await;
    found.extend(audit(&env, "external access, error").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ending_all_access_with_a_publisher_names_everyone_first() {
    let env = Env::start().await;
    let gwen = env.api_client("gwen@globex.test").await;
    let acme = publisher_id(&env, &gwen, "Acme Payments").await;
    let before = listed(&env, &gwen, &format!("publisher={acme}")).await;
    assert!(!before.is_empty());
    let paul_before = emails_to(&env, "paul@acme.test").await;
    let mut found = Vec::new();

    env.sign_in("gwen@globex.test").await;
    env.open(&format!("{EXTERNAL_ACCESS}?publisher={acme}"))
        .await;
    row_text(&env, "Gina Gray", "Payments API").await;
    env.click_text("button", "End all access with Acme Payments")
        .await;
    env.find_text("dialog[@open]//h2", "End all access with Acme Payments?")
        .await;
    // Every person and workspace that loses access is named before anything ends.
    let list = env
        .find_text("dialog[@open]//ul", "Payments API")
        .await
        .text()
        .await
        .unwrap();
    for grant in &before {
        assert!(list.contains(&grant[1]), "{} missing from {list}", grant[1]);
    }
    assert!(
        list.contains("Gina Gray (Editor, Partner Lead)") && list.contains("Gary Green (Viewer)"),
        "{list}"
    );
    found.extend(audit(&env, "external access, end all dialog").await);

    env.click(By::XPath(
        "//dialog[@open]//button[normalize-space(.)='End all access']".to_owned(),
    ))
    .await;
    env.find_text("*[@role='status']", "Ended every access with Acme Payments")
        .await;
    // The filter of a publisher no one has access with any more is dropped.
    env.until_path(EXTERNAL_ACCESS).await;
    assert!(
        listed(&env, &gwen, &format!("publisher={acme}"))
            .await
            .is_empty()
    );
    until_email(&env, "paul@acme.test", paul_before, &["Globex"]).await;

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn people_who_are_not_team_admins_are_told_who_can_see_it() {
    let env = Env::start().await;
    let gina = env.api_client("gina@globex.test").await;
    let (status, _) = get_json(&env, &gina, "/api/team/external-access").await;
    assert_eq!(
        status, 403,
        "the server refuses a member who isn't Team Admin"
    );

    env.sign_in("gina@globex.test").await;
    env.open(EXTERNAL_ACCESS).await;
    env.find_text("h2", "Only Team Admins can see External access")
        .await;
    env.find_text(
        "p",
        "You're signed in as Gina Gray (gina@globex.test), of Globex.",
    )
    .await;
    env.assert_none(By::Css("table")).await;
    assert_none(&audit(&env, "external access, no permission").await);
    env.finish().await;
}

/// Screenshots of External access and the Partner Lead's pieces in each state, for a person
/// to look at (`SCREENSHOTS=folder cargo test … --test e2e -- --ignored lead_ui_screenshots`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for a person to look at"]
async fn lead_ui_screenshots() {
    use crate::screenshots::shoot;

    let dir = std::path::PathBuf::from(std::env::var("SCREENSHOTS").expect("SCREENSHOTS=folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let gwen = env.api_client("gwen@globex.test").await;
    let acme = publisher_id(&env, &gwen, "Acme Payments").await;

    env.sign_in("gwen@globex.test").await;
    env.open(EXTERNAL_ACCESS).await;
    row_text(&env, "Gary Green", "Payments API").await;
    shoot(&env, &dir, "external-access").await;
    env.open(&format!("{EXTERNAL_ACCESS}?publisher={acme}"))
        .await;
    row_text(&env, "Gary Green", "Payments API").await;
    env.click(By::XPath(
        "//button[@aria-label='End access for Gary Green to Payments API']".to_owned(),
    ))
    .await;
    env.find_text("dialog[@open]//h2", "End Gary Green's access")
        .await;
    shoot(&env, &dir, "external-access-end-dialog").await;
    env.open(&format!("{EXTERNAL_ACCESS}?publisher={acme}"))
        .await;
    env.click_text("button", "End all access with Acme Payments")
        .await;
    env.find_text("dialog[@open]//ul", "Payments API").await;
    shoot(&env, &dir, "external-access-end-all-dialog").await;
    env.open(&format!("{EXTERNAL_ACCESS}?q=zzqx-nobody")).await;
    env.find_text("h3", "No results").await;
    shoot(&env, &dir, "external-access-no-results").await;

    env.sign_in_as("gina@globex.test").await;
    env.open(EXTERNAL_ACCESS).await;
    env.find_text("h2", "Only Team Admins").await;
    shoot(&env, &dir, "external-access-no-permission").await;
    env.open(&format!("/workspace/{payments}")).await;
    env.find_text("h2", "Your team in this workspace").await;
    env.find_text("*[@data-testid='lead-team-person']", "Gary Green")
        .await;
    shoot(&env, &dir, "workspace-partner-lead").await;
    let field = env.field("Email address").await;
    field.send_keys("ivan@initech.test").await.unwrap();
    env.click(By::XPath(
        "//*[@data-testid='lead-team']//button[@type='submit']".to_owned(),
    ))
    .await;
    env.find_text("*[@role='alert']", "wasn't invited").await;
    shoot(&env, &dir, "workspace-partner-lead-refused").await;

    env.sign_in_as("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    env.find_text("label", "Partner Lead for Gary Green").await;
    shoot(&env, &dir, "workspace-settings-partner-lead").await;

    env.finish().await;
}
