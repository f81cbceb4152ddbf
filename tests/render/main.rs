//! Render benchmark (issue 8, "Benchmarks" 3): 1,000 partner rows drawn by the real
//! `PartnerTeamsTable` vs a hand-written web-sys loop that builds the same table DOM, in the
//! same headless Chromium, alternating, each timed with `performance.now()` from the start
//! of the mount to the end of a forced layout (`offsetHeight`). Prints medians and the ratio.
//! Not a test: it asserts only that both drew 1,000 rows. Behind the `bench` feature, so the
//! normal test run never builds it; run with `scripts/bench/render.sh`.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use partner_api::Paginated;
use partner_api::partnerships::{PartnerTeamSummary, PartnershipSortKey, TeamRef};
use partner_workspaces::components::pagination::thousands;
use partner_workspaces::components::partner_teams_table::{PartnerTeamsTable, TeamsTableState};
use partner_workspaces::components::relative_time::{exact_time, parse_rfc3339, relative_time};
use partner_workspaces::params::partnerships::PartnershipsParams;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const ROWS: usize = 1_000;
const WARMUP: usize = 2;
const ITERATIONS: usize = 15;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

fn rows() -> Vec<PartnerTeamSummary> {
    (0..ROWS)
        .map(|i| PartnerTeamSummary {
            team: TeamRef {
                id: format!("t_{i:05}").into(),
                name: format!("Partner Team {i}"),
                domain: format!("team{i}.test"),
            },
            sso_enforced: i % 3 != 0,
            partner_count: (i as u32 * 7) % 1500,
            workspace_count: (i as u32 * 3) % 40,
            last_active_at: (i % 5 != 0).then(|| format!("2026-03-{:02}T14:05:09Z", 1 + i % 28)),
        })
        .collect()
}

fn container() -> HtmlElement {
    let document = document();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn row_count(root: &HtmlElement) -> u32 {
    root.query_selector_all("tbody tr.row").unwrap().length()
}

/// Waits one macrotask (lets Leptos run what it scheduled).
async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// The real component: mount, wait until its rows are in the DOM (no wait if the mount drew
/// them synchronously), force layout. Milliseconds.
async fn leptos_once(items: Vec<PartnerTeamSummary>) -> f64 {
    let root = container();
    let page = Paginated {
        total: items.len() as u64,
        per_page: items.len() as u32,
        page: 1,
        items,
    };
    let target = root.clone();
    let start = now();
    let handle = mount_to(target, move || {
        view! {
            <PartnerTeamsTable
                state=TeamsTableState::Loaded(page)
                params=Signal::stored(PartnershipsParams::default())
                on_sort=move |_: PartnershipSortKey| {}
                on_clear=move |()| {}
                on_retry=move |()| {}
            />
        }
    });
    while row_count(&root) < ROWS as u32 {
        tick().await;
    }
    let _ = root.offset_height();
    let elapsed = now() - start;
    drop(handle);
    root.remove();
    elapsed
}

fn el(document: &web_sys::Document, tag: &str, class: Option<&str>) -> Element {
    let e = document.create_element(tag).unwrap();
    if let Some(class) = class {
        e.set_class_name(class);
    }
    e
}

const SVG: &str = "http://www.w3.org/2000/svg";

// The two icons' paths, as src/components/icon.rs draws them (`IconName::paths` is private).
const SHIELD: &str =
    "M8 1.5 2.5 3.5v4c0 3.5 2.4 6 5.5 7 3.1-1 5.5-3.5 5.5-7v-4Zm-2.2 7.4 1.5 1.5 3.2-3.6";
const SHIELD_OFF: &str =
    "M8 1.5 2.5 3.5v4c0 3.5 2.4 6 5.5 7 3.1-1 5.5-3.5 5.5-7v-4ZM6 6l4 4m0-4-4 4";

fn icon(document: &web_sys::Document, paths: &str) -> Element {
    let svg = document.create_element_ns(Some(SVG), "svg").unwrap();
    for (k, v) in [
        ("width", "12"),
        ("height", "12"),
        ("viewBox", "0 0 16 16"),
        ("fill", "none"),
        ("stroke", "currentColor"),
        ("stroke-width", "1.5"),
        ("stroke-linecap", "round"),
        ("stroke-linejoin", "round"),
        ("aria-hidden", "true"),
        ("focusable", "false"),
    ] {
        svg.set_attribute(k, v).unwrap();
    }
    let path = document.create_element_ns(Some(SVG), "path").unwrap();
    path.set_attribute("d", paths).unwrap();
    svg.append_child(&path).unwrap();
    svg
}

/// The same table DOM by hand: every element, attribute and text the component writes for
/// these rows (headers as buttons, badges with their icon, `<time>` with title), without
/// Leptos. Milliseconds from the first element to the end of a forced layout.
fn web_sys_once(items: &[PartnerTeamSummary]) -> f64 {
    let root = container();
    let start = now();
    let document = document();
    let params = PartnershipsParams::default();
    let scope = "bench-scope";
    let table = el(&document, "table", Some("teams bench-scope"));
    table
        .set_attribute("aria-labelledby", "partner-teams-title")
        .unwrap();
    table.set_attribute("aria-busy", "false").unwrap();
    let thead = el(&document, "thead", Some(scope));
    let head_row = el(&document, "tr", Some(scope));
    for (label, sortable) in [
        ("Partner team", true),
        ("SSO", false),
        ("Partners", true),
        ("Workspaces", true),
        ("Last activity", true),
    ] {
        let th = el(&document, "th", Some(scope));
        th.set_attribute("scope", "col").unwrap();
        if sortable {
            let button = el(&document, "button", Some("sort bench-scope"));
            button.set_attribute("type", "button").unwrap();
            button.set_text_content(Some(label));
            let arrow = el(&document, "span", Some("arrow bench-scope"));
            arrow.set_attribute("aria-hidden", "true").unwrap();
            arrow.set_text_content(Some("↕"));
            button.append_child(&arrow).unwrap();
            th.append_child(&button).unwrap();
        } else {
            th.set_class_name("not-sortable bench-scope");
            th.set_text_content(Some(label));
        }
        head_row.append_child(&th).unwrap();
    }
    thead.append_child(&head_row).unwrap();
    table.append_child(&thead).unwrap();
    let tbody = el(&document, "tbody", Some(scope));
    let now_s = (js_sys::Date::now() / 1000.0) as i64;
    for row in items {
        let tr = el(&document, "tr", Some("row bench-scope"));
        let th = el(&document, "th", Some("team bench-scope"));
        th.set_attribute("scope", "row").unwrap();
        th.set_attribute("data-label", "Partner team").unwrap();
        let a = el(&document, "a", Some("team-name bench-scope"));
        a.set_attribute("href", &params.with_team(Some(row.team.id.clone())).href())
            .unwrap();
        a.set_attribute("data-noscroll", "").unwrap();
        a.set_text_content(Some(&row.team.name));
        let domain = el(&document, "span", Some("domain bench-scope"));
        domain.set_text_content(Some(&row.team.domain));
        th.append_child(&a).unwrap();
        th.append_child(&domain).unwrap();
        tr.append_child(&th).unwrap();

        let sso = el(&document, "td", Some(scope));
        sso.set_attribute("data-label", "SSO").unwrap();
        let (text, tone, name) = if row.sso_enforced {
            ("SSO enforced", "success", SHIELD)
        } else {
            ("SSO not enforced", "warning", SHIELD_OFF)
        };
        let badge = el(
            &document,
            "span",
            Some(&format!("badge bench-scope {tone}")),
        );
        badge.append_child(&icon(&document, name)).unwrap();
        badge
            .append_child(&document.create_text_node(text))
            .unwrap();
        sso.append_child(&badge).unwrap();
        tr.append_child(&sso).unwrap();

        for (label, n) in [
            ("Partners", row.partner_count),
            ("Workspaces", row.workspace_count),
        ] {
            let td = el(&document, "td", Some("numeric bench-scope"));
            td.set_attribute("data-label", label).unwrap();
            td.set_text_content(Some(&thousands(n.into())));
            tr.append_child(&td).unwrap();
        }

        let when = el(&document, "td", Some("when bench-scope"));
        when.set_attribute("data-label", "Last activity").unwrap();
        match row
            .last_active_at
            .as_deref()
            .and_then(|at| parse_rfc3339(at).map(|s| (at, s)))
        {
            Some((at, seconds)) => {
                let time = el(&document, "time", None);
                time.set_attribute("datetime", at).unwrap();
                time.set_attribute("title", &exact_time(seconds)).unwrap();
                time.set_text_content(Some(&relative_time(seconds, now_s)));
                when.append_child(&time).unwrap();
            }
            None => {
                let span = el(&document, "span", None);
                span.set_text_content(Some("No sign-in yet"));
                when.append_child(&span).unwrap();
            }
        }
        tr.append_child(&when).unwrap();
        tbody.append_child(&tr).unwrap();
    }
    table.append_child(&tbody).unwrap();
    root.append_child(&table).unwrap();
    assert_eq!(row_count(&root), ROWS as u32);
    let _ = root.offset_height();
    let elapsed = now() - start;
    root.remove();
    elapsed
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

#[wasm_bindgen_test]
async fn render_1000_partner_rows() {
    let items = rows();
    let (mut leptos, mut by_hand) = (Vec::new(), Vec::new());
    for i in 0..WARMUP + ITERATIONS {
        // Alternate which goes first, so neither always runs on a freshly collected heap.
        let (l, h) = if i % 2 == 0 {
            let l = leptos_once(items.clone()).await;
            tick().await;
            (l, web_sys_once(&items))
        } else {
            let h = web_sys_once(&items);
            tick().await;
            (leptos_once(items.clone()).await, h)
        };
        tick().await;
        if i >= WARMUP {
            leptos.push(l);
            by_hand.push(h);
        }
    }
    let fmt = |xs: &[f64]| {
        xs.iter()
            .map(|x| format!("{x:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    console_log!(
        "render bench: {ROWS} partner rows, {ITERATIONS} iterations (after {WARMUP} warm-up), ms mount -> forced layout"
    );
    console_log!("  PartnerTeamsTable: {}", fmt(&leptos));
    console_log!("  web-sys loop:      {}", fmt(&by_hand));
    let (l, h) = (median(leptos.clone()), median(by_hand.clone()));
    let worst = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
    console_log!(
        "  median: PartnerTeamsTable {l:.1} ms, web-sys loop {h:.1} ms; worst {:.1} / {:.1} ms",
        worst(&leptos),
        worst(&by_hand)
    );
    console_log!(
        "  ratio (median): {:.2}x  (goal <= 1.2x: {})",
        l / h,
        if l / h <= 1.2 { "met" } else { "missed" }
    );
}
