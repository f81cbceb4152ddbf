use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use partner_api::migration::{
    LegacyWorkspace, MigrationPlan, MigrationRun, PlannedEmail, RecipientRole, RunKind, RunState,
};
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::workspaces::MigrationState;
use partner_api::{PageRequest, Paginated};
use partner_workspaces::components::migration_plan::MigrationPlanView;
use partner_workspaces::components::migration_run_status::MigrationRunStatus;
use partner_workspaces::components::migration_table::MigrationTable;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{Mounted, mount};

fn run(state: RunState, migrated: u64) -> MigrationRun {
    MigrationRun {
        id: "r1".into(),
        state,
        kind: RunKind::OnDemand,
        started_at: "2026-12-04T10:00:00Z".into(),
        finished_at: None,
        workspaces_total: 400,
        workspaces_migrated: migrated,
        people_emailed: None,
        failed_attempts: 0,
        error: None,
        next_attempt_at: None,
    }
}

/// The run status of `run`, for a Team Admin (`can_run`) or not; counts Retry now presses.
fn status(run: RwSignal<Option<MigrationRun>>, can_run: bool) -> (Mounted, Arc<Mutex<u32>>) {
    let retries = Arc::new(Mutex::new(0));
    let pressed = retries.clone();
    let mounted = mount(move || {
        view! {
            <MigrationRunStatus
                run=run
                can_run=can_run
                on_retry=move |()| *pressed.lock().unwrap() += 1
            />
        }
    });
    (mounted, retries)
}

fn progress(page: &Mounted) -> web_sys::Element {
    page.find("progress").expect("a progress bar")
}

#[wasm_bindgen_test]
async fn a_running_run_shows_its_progress_bar_and_updates_it_in_place() {
    let current = RwSignal::new(Some(run(RunState::Running, 120)));
    let (page, _) = status(current, true);

    page.until("the progress", |page| {
        page.text().contains("Migrated 120 of 400 workspaces")
    })
    .await;
    let bar = progress(&page);
    assert_eq!(bar.get_attribute("value").as_deref(), Some("120"));
    assert_eq!(bar.get_attribute("max").as_deref(), Some("400"));
    let label = bar.get_attribute("aria-labelledby").unwrap();
    let named = page.find(&format!("#{label}")).unwrap();
    assert_eq!(
        named.text_content().unwrap(),
        "Migrated 120 of 400 workspaces"
    );
    assert_eq!(
        page.find("[role=status]").unwrap().text_content().unwrap(),
        "The migration is running."
    );

    current.set(Some(run(RunState::Running, 250)));
    page.until("the next figure", |page| {
        page.text().contains("Migrated 250 of 400 workspaces")
    })
    .await;
    assert!(
        progress(&page) == bar,
        "the same bar moves; nothing is drawn anew"
    );
    assert_eq!(bar.get_attribute("value").as_deref(), Some("250"));
}

#[wasm_bindgen_test]
async fn a_failed_run_says_what_happened_when_it_retries_and_offers_retry_now() {
    let failed = MigrationRun {
        error: Some(
            "The database refused a change while migrating \u{201c}Refunds API\u{201d}.".into(),
        ),
        next_attempt_at: Some("2026-12-04T10:06:00Z".into()),
        failed_attempts: 1,
        ..run(RunState::Failed, 12)
    };
    let (page, retries) = status(RwSignal::new(Some(failed.clone())), true);

    page.until("the failure", |page| {
        page.text().contains("The migration stopped")
    })
    .await;
    let text = page.text();
    assert!(
        text.contains(
            "The database refused a change while migrating \u{201c}Refunds API\u{201d}. \
             Migrated 12 of 400 workspaces before it stopped"
        ),
        "{text}"
    );
    assert!(text.contains("nobody has been emailed yet"), "{text}");
    assert!(
        text.contains("It retries automatically on 4 Dec 2026, 10:06 UTC."),
        "{text}"
    );
    assert!(page.find("progress").is_none());
    page.click("button");
    assert_eq!(*retries.lock().unwrap(), 1);
    assert_eq!(
        page.find("button").unwrap().text_content().unwrap(),
        "Retry now"
    );

    // Someone who may not run it is told who can.
    let (viewer, _) = status(RwSignal::new(Some(failed)), false);
    viewer
        .until("the failure", |page| {
            page.text().contains("The migration stopped")
        })
        .await;
    assert!(viewer.find("button").is_none());
    assert!(
        viewer
            .text()
            .contains("A Team Admin of your team can retry it now.")
    );
}

#[wasm_bindgen_test]
async fn a_finished_run_says_what_it_did() {
    let done = MigrationRun {
        finished_at: Some("2026-12-04T10:05:00Z".into()),
        workspaces_total: 401,
        workspaces_migrated: 401,
        people_emailed: Some(805),
        ..run(RunState::Done, 401)
    };
    let (page, _) = status(RwSignal::new(Some(done)), true);

    page.until("the result", |page| page.text().contains("Migration done"))
        .await;
    assert!(
        page.text()
            .contains("Migrated 401 workspaces and emailed 805 people (4 Dec 2026, 10:05 UTC)."),
        "{}",
        page.text()
    );
    assert!(page.find("button").is_none() && page.find("progress").is_none());
}

fn workspace(n: u32, state: MigrationState) -> LegacyWorkspace {
    LegacyWorkspace {
        id: format!("w{n}").into(),
        name: format!("Legacy Workspace {n:05}"),
        state,
        scheduled_for: Some("2026-12-15".into()),
        migrated_at: None,
        partner_count: n % 3,
    }
}

fn table(page: Paginated<LegacyWorkspace>) -> Mounted {
    mount(move || {
        view! {
            <MigrationTable
                page=Signal::stored(page)
                href_for=Callback::new(|page: u32| format!("/here?migration_page={page}"))
            />
        }
    })
}

#[wasm_bindgen_test]
async fn the_table_shows_a_page_with_labelled_cells_and_links_to_the_others() {
    let second = PageRequest::new(Some(2), Some(50)).unwrap().wrap(
        (51..=100)
            .map(|n| workspace(n, MigrationState::Scheduled))
            .collect(),
        401,
    );
    let page = table(second);

    page.until("the rows", |page| {
        page.text().contains("Legacy Workspace 00051")
    })
    .await;
    let rows = page.root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 50);
    let first: web_sys::Element = rows.item(0).unwrap().unchecked_into();
    let labels: Vec<String> = (0..4)
        .filter_map(|i| {
            first
                .query_selector_all("td")
                .unwrap()
                .item(i)
                .and_then(|cell| {
                    cell.unchecked_into::<web_sys::Element>()
                        .get_attribute("data-label")
                })
        })
        .collect();
    assert_eq!(
        labels,
        ["State", "Schedule", "Partners"],
        "each value says what it is on narrow screens"
    );
    let nav = page
        .find("nav[aria-label='Legacy workspace pages']")
        .expect("pagination");
    assert!(nav.text_content().unwrap().contains("51–100 of 401"));
    assert_eq!(
        page.attr("a[rel=prev]", "href").as_deref(),
        Some("/here?migration_page=1")
    );
    assert_eq!(
        page.attr("a[rel=next]", "href").as_deref(),
        Some("/here?migration_page=3")
    );

    // One page: no pagination.
    let single =
        table(PageRequest::default().wrap(vec![workspace(1, MigrationState::Migrated)], 1));
    single
        .until("the row", |page| page.text().contains("Migrated"))
        .await;
    assert!(single.find("nav").is_none());
}

#[wasm_bindgen_test]
async fn a_capped_dry_run_says_how_many_more() {
    let refs = |n: u32| -> Vec<WorkspaceRef> {
        (1..=n)
            .map(|i| WorkspaceRef {
                id: format!("w{i}").into(),
                name: format!("Legacy Workspace {i:05}"),
            })
            .collect()
    };
    let email = PlannedEmail {
        to: UserRef {
            id: "u_alice".into(),
            name: "Alice Adams".into(),
            email: "alice@acme.test".into(),
        },
        roles: vec![RecipientRole::TeamAdmin],
        subject: "Your Partner Workspaces have been migrated".into(),
        workspaces: refs(10),
        workspaces_total: 401,
    };
    let plan = MigrationPlan {
        dry_run: true,
        workspaces: refs(50),
        workspaces_total: 401,
        emails: vec![email; 50],
        emails_total: 805,
    };
    let page = mount(move || view! { <MigrationPlanView plan=plan heading="Dry run" /> });

    page.until("the plan", |page| page.text().contains("401 workspaces"))
        .await;
    let text = page.text();
    assert!(
        text.contains("Legacy Workspace 00050 and 351 more"),
        "{text}"
    );
    assert!(
        text.contains("805 people each get exactly one email:"),
        "{text}"
    );
    assert_eq!(page.root.query_selector_all("li").unwrap().length(), 50);
    assert!(text.contains("listing Legacy Workspace 00001"), "{text}");
    assert!(
        text.contains("Legacy Workspace 00010 and 391 more"),
        "{text}"
    );
    assert!(text.contains("\u{2026} and 755 more people."), "{text}");
}
