//! Accessibility audit: axe-core (npm, installed into `.tools` by scripts/setup.sh) injected
//! into the real pages in headless Chromium, in every state a person can reach, at WCAG 2.2 AA,
//! 1280 and 375 px wide, light and dark. Each test audits several states and fails listing
//! every violation of every state.

use thirtyfour::prelude::*;

use crate::harness::Env;

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";

/// The WCAG levels audited (axe's tags).
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

/// The axe-core script, as npm installed it.
fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "reading {}: {e} (scripts/setup.sh installs axe-core)",
            path.display()
        )
    })
}

/// Makes the page report `prefers-color-scheme: scheme` ("light" or "dark").
pub async fn color_scheme(env: &Env, scheme: &str) {
    env.driver
        .cdp()
        .send_raw(
            "Emulation.setEmulatedMedia",
            serde_json::json!({
                "features": [{ "name": "prefers-color-scheme", "value": scheme }]
            }),
        )
        .await
        .unwrap();
}

/// The widths every state is audited at: a laptop and a small phone.
pub(crate) const WIDTHS: [u32; 2] = [1280, 375];

/// Lays the page out `width` px wide (a phone's viewport, as its browser has it).
pub(crate) async fn viewport(env: &Env, width: u32) {
    viewport_sized(env, width, 800).await;
}

/// Lays the page out `width` × `height` CSS pixels.
pub(crate) async fn viewport_sized(env: &Env, width: u32, height: u32) {
    env.driver
        .cdp()
        .send_raw(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": width < 640,
            }),
        )
        .await
        .unwrap();
}

/// Runs axe on the current page at each of [`WIDTHS`], in the light and in the dark colour
/// scheme, and returns one line per violation (empty when there are none), each naming
/// `state`, the width, the scheme, the rule, its impact, the elements and the help text.
/// The page is left 1280 px wide and light.
pub(crate) async fn audit(env: &Env, state: &str) -> Vec<String> {
    let mut found = Vec::new();
    for width in WIDTHS {
        viewport(env, width).await;
        found.extend(overflow(env, &format!("{state}, {width} px")).await);
        found.extend(audit_once(env, &format!("{state}, {width} px, light")).await);
        color_scheme(env, "dark").await;
        found.extend(audit_once(env, &format!("{state}, {width} px, dark")).await);
        color_scheme(env, "light").await;
    }
    viewport(env, WIDTHS[0]).await;
    found
}

/// A line naming what sticks out when the page is wider than the window (content a
/// person would have to scroll sideways to, or could not reach): none when it fits.
async fn overflow(env: &Env, state: &str) -> Option<String> {
    let wide = env
        .driver
        .execute(
            "const width = document.documentElement.clientWidth;
             if (document.documentElement.scrollWidth <= width) return [];
             const wide = [...document.querySelectorAll('body *')].filter(e => {
                 const box = e.getBoundingClientRect();
                 return box.width > 0 && box.right > width + 1;
             });
             return wide.filter(e => !wide.includes(e.parentElement)).slice(0, 5).map(e =>
                 e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (typeof e.className === 'string' && e.className
                         ? '.' + e.className.split(' ')[0] : ''));",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    let wide = wide.as_array().expect("a list of elements");
    (!wide.is_empty()).then(|| format!("[{state}] the page is wider than the window: {wide:?}"))
}

/// Runs axe once on the current page (see [`audit`]).
async fn audit_once(env: &Env, state: &str) -> Vec<String> {
    let loaded = env
        .driver
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await
        .unwrap();
    if loaded.json().as_bool() != Some(true) {
        env.driver.execute(axe_source(), vec![]).await.unwrap();
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }} }})
           .then(r => done({{ passes: r.passes.length,
               incomplete: r.incomplete.map(v => v.id + ' x' + v.nodes.length), violations: r.violations.map(v => ({{
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({{ target: n.target, summary: n.failureSummary }}))
           }})) }}))
           .catch(e => done({{ error: String(e) }}));"
    );
    let answer = env
        .driver
        .execute_async(script, vec![])
        .await
        .unwrap()
        .json()
        .clone();
    if let Some(error) = answer.get("error") {
        panic!("axe failed on {state}: {error}");
    }
    // A page axe found nothing to check on would pass for the wrong reason.
    let passes = answer["passes"].as_u64().expect("a count of passed rules");
    assert!(passes > 0, "axe checked nothing on {state}: {answer}");
    // What axe could not decide (e.g. contrast over an image) is for a person to look at.
    if let Some(incomplete) = answer["incomplete"].as_array()
        && !incomplete.is_empty()
    {
        eprintln!("[{state}] axe needs review: {incomplete:?}");
    }
    let violations = answer["violations"]
        .as_array()
        .expect("a list of violations");
    violations
        .iter()
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| format!("    {} — {}", n["target"], n["summary"]))
                .collect();
            format!(
                "[{state}] {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                nodes.join("\n")
            )
        })
        .collect()
}

/// Fails with every violation found.
pub(crate) fn assert_none(violations: &[String]) {
    assert!(
        violations.is_empty(),
        "{} axe violation(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn partnerships_has_no_violations_with_data_drawer_dialog_empty_and_error() {
    let mut env = Env::start().await;
    let mut found = Vec::new();
    env.sign_in("paul@acme.test").await;

    env.open(PARTNERSHIPS).await;
    env.find_text("a", "Initech").await;
    env.find_text("li", "Gary Green").await;
    found.extend(audit(&env, "partnerships data").await);

    env.find_text("a", "Initech").await.click().await.unwrap();
    env.find_text("dialog[@open]//li[contains(@class,'person')]", "Ivan")
        .await;
    found.extend(audit(&env, "partnerships drawer").await);

    env.button("Remove partnership…")
        .await
        .click()
        .await
        .unwrap();
    env.find_text("dialog[@open]//dialog[@open]", "loses access")
        .await;
    found.extend(audit(&env, "partnerships confirm dialog").await);

    env.open(&format!("{PARTNERSHIPS}?q=zzqx-no-such-team"))
        .await;
    env.css("#partner-search").await;
    env.find_text("*", "No results for").await;
    found.extend(audit(&env, "partnerships empty").await);

    // The server goes away; the next request the page makes fails.
    env.stop_server().await;
    let search = env.css("#partner-search").await;
    search.clear().await.unwrap();
    search.send_keys("glo").await.unwrap();
    env.button("Retry").await;
    found.extend(audit(&env, "partnerships error").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn workspaces_have_no_violations_external_access_and_no_access() {
    let env = Env::start().await;
    let fraud = env.acme_workspace_id("Fraud Signals").await;
    let mut found = Vec::new();

    env.sign_in("ivan@initech.test").await;
    env.open("/workspaces?tab=shared_partner").await;
    env.find_text("tbody[@data-publisher='Acme Payments']//th", "3 workspaces")
        .await;
    found.extend(audit(&env, "external workspaces").await);

    env.sign_in_as("uma@umbrella.test").await;
    env.open(&format!("/workspace/{fraud}")).await;
    env.find_text("section[@data-team='Umbrella']", "Uma Ueda")
        .await;
    found.extend(audit(&env, "workspace with access").await);

    env.sign_in_as("gary@globex.test").await;
    env.open(&format!("/workspace/{fraud}")).await;
    env.find_text("span", "Your request is pending.").await;
    found.extend(audit(&env, "workspace without access, request pending").await);

    env.sign_in_as("gina@globex.test").await;
    env.open(&format!("/workspace/{fraud}")).await;
    env.css("textarea#access-message").await;
    found.extend(audit(&env, "workspace without access, request form").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_sign_in_and_not_found_have_no_violations() {
    let env = Env::start().await;
    let payments = env.acme_workspace_id("Payments API").await;
    let mut found = Vec::new();

    env.open("/signin").await;
    env.field("Email").await;
    found.extend(audit(&env, "sign-in").await);

    env.sign_in("wanda@acme.test").await;
    env.open(&format!("/workspace/{payments}/settings")).await;
    env.find_text("h2", "Partner access").await;
    env.css("[role=switch]").await;
    found.extend(audit(&env, "workspace settings").await);

    env.css("[role=switch]").await.click().await.unwrap();
    env.find_text("dialog[@open]//h2", "Turn on multi-partner mode?")
        .await;
    found.extend(audit(&env, "workspace settings multi-partner dialog").await);

    env.open("/no-such-page").await;
    env.find_text("h1", "Page not found").await;
    found.extend(audit(&env, "not found").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn own_workspaces_account_menu_change_password_and_mailbox_have_no_violations() {
    let env = Env::start().await;
    let mut found = Vec::new();
    env.sign_in("wanda@acme.test").await;

    env.open("/workspaces").await;
    env.find_text("a", "Payments API").await;
    found.extend(audit(&env, "workspaces, own").await);

    env.open_account_menu().await;
    found.extend(audit(&env, "account menu").await);

    env.button("Change password").await.click().await.unwrap();
    env.find_text("dialog[@open]//h2", "Change your password")
        .await;
    found.extend(audit(&env, "change password").await);

    env.click(By::XPath("//dialog[@open]//button[@type='submit']"))
        .await;
    env.find_text("dialog[@open]//p", "Enter your current password.")
        .await;
    found.extend(audit(&env, "change password, errors").await);

    env.open("/dev/mailbox").await;
    env.find_text("h1", "mailbox").await;
    found.extend(audit(&env, "dev mailbox").await);

    assert_none(&found);
    env.finish().await;
}
