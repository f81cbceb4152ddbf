//! The Migration panel of Team Settings > Partnerships, driven as a Team Admin would: the
//! legacy workspaces a page at a time, a dry run, Migrate now followed to its end across a
//! reload, and a failed run retried. Each state is audited with axe at 1280 and 375 px and
//! checked for sideways scrolling; `MIGRATION_SCREENSHOTS=<folder>` also saves a PNG of
//! the panel in each state at both widths, for a person to look at.

use std::process::Command;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::a11y::{WIDTHS, assert_none, audit, viewport, viewport_sized};
use crate::database::Db;
use crate::harness::{Env, server_bin};

const PARTNERSHIPS: &str = "/settings/team/partnerships/external-partners";
const PANEL: &str = "section[aria-labelledby='migration-title']";

/// Adds `n` legacy workspaces to Acme (one partner each) with `partner-server generate`,
/// beside the running server.
fn generate_legacy(env: &Env, n: u32) {
    let status = Command::new(server_bin())
        .arg("generate")
        .arg("--database")
        .arg(env.database().url())
        .args(["--teams", "0", "--legacy-workspaces", &n.to_string()])
        .args(["--partners-per-legacy-workspace", "1"])
        .status()
        .expect("partner-server generate runs");
    assert!(status.success(), "generate: {status}");
}

/// Creates a trigger on changes of a workspace's `migration_state` (`when`: an extra
/// condition on `NEW`) that runs `sqlite` on SQLite, or the PL/pgSQL `postgres` on
/// PostgreSQL, before the change.
async fn trigger(db: &mut Db, name: &str, when: &str, sqlite: &str, postgres: &str) {
    if db.is_postgres() {
        let function = format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN {postgres} RETURN NEW; END $$"
        );
        db.execute(&function, &[]).await;
        let when = if when.is_empty() {
            String::new()
        } else {
            format!("WHEN ({when})")
        };
        let trigger = format!(
            "CREATE TRIGGER {name} BEFORE UPDATE OF migration_state ON workspaces
             FOR EACH ROW {when} EXECUTE FUNCTION {name}()"
        );
        db.execute(&trigger, &[]).await;
    } else {
        let when = if when.is_empty() {
            String::new()
        } else {
            format!("WHEN {when}")
        };
        let trigger = format!(
            "CREATE TRIGGER {name} BEFORE UPDATE OF migration_state ON workspaces {when}
             BEGIN {sqlite} END"
        );
        db.execute(&trigger, &[]).await;
    }
}

/// Drops a trigger [`trigger`] made.
async fn drop_trigger(db: &mut Db, name: &str) {
    let on = if db.is_postgres() {
        " ON workspaces"
    } else {
        ""
    };
    db.execute(&format!("DROP TRIGGER {name}{on}"), &[]).await;
}

/// Saves the whole panel as `<folder>/<name>.png` (the viewport grows to its height for the
/// shot, then goes back).
async fn screenshot(env: &Env, folder: &std::ffi::OsStr, name: &str, width: u32) {
    let height = env
        .driver
        .execute(
            "return Math.ceil(document.documentElement.scrollHeight);",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .as_u64()
        .unwrap_or(800);
    viewport_sized(env, width, u32::try_from(height).unwrap_or(800).max(800)).await;
    let panel = env.driver.find(By::Css(PANEL)).await.unwrap();
    std::fs::create_dir_all(folder).unwrap();
    panel
        .screenshot(&std::path::Path::new(folder).join(format!("{name}.png")))
        .await
        .unwrap();
    viewport(env, width).await;
}

/// Fails if the page or anything in the migration panel needs a sideways scroll.
async fn assert_nothing_scrolls_sideways(env: &Env, state: &str) {
    let overflowing = env
        .driver
        .execute(
            "const wide = [];
             if (document.documentElement.scrollWidth > window.innerWidth) wide.push('the page');
             const slot = document.getElementById('migration');
             for (const el of [slot, ...slot.querySelectorAll('*')]) {
               const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
               if (scrolls && el.scrollWidth > el.clientWidth + 1)
                 wide.push(el.tagName + '.' + el.className + ' scrolls');
               // Visually hidden text (1 px, clipped) is meant to be off screen.
               const box = el.getBoundingClientRect();
               if (box.width > 1 && box.right > window.innerWidth + 1)
                 wide.push(el.tagName + '.' + el.className + ' ends at ' + box.right);
             }
             return wide;",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    assert_eq!(
        overflowing,
        serde_json::json!([]),
        "{state}: cut or scrolling sideways"
    );
}

/// At 1280 and 375 px: axe finds nothing, nothing scrolls sideways, and with
/// `MIGRATION_SCREENSHOTS` set the panel is saved as `<state>-<width>.png`.
async fn check_state(env: &Env, state: &str) -> Vec<String> {
    for width in WIDTHS {
        viewport(env, width).await;
        let panel = env.driver.find(By::Css(PANEL)).await.unwrap();
        panel.scroll_into_view().await.unwrap();
        assert_nothing_scrolls_sideways(env, &format!("{state} at {width} px")).await;
        if let Some(folder) = std::env::var_os("MIGRATION_SCREENSHOTS") {
            screenshot(env, &folder, &format!("{state}-{width}"), width).await;
        }
    }
    // `audit` lays the page out at each width itself.
    audit(env, &format!("migration {state}")).await
}

/// Waits for the migration's progress bar and returns how far it says the run is.
async fn progress(env: &Env) -> (u64, u64) {
    let bar = env
        .driver
        .query(By::Css("progress"))
        .wait(Duration::from_secs(20), Duration::from_millis(50))
        .first()
        .await
        .expect("a progress bar");
    let number = |name: &'static str| {
        let bar = bar.clone();
        async move {
            bar.attr(name)
                .await
                .unwrap()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        }
    };
    (number("value").await, number("max").await)
}

/// Waits until the progress bar shows more than `than` workspaces migrated.
async fn progress_beyond(env: &Env, than: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (value, _) = progress(env).await;
        if value > than {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "the progress stayed at {value} (polling?)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn confirm_migrate_now(env: &Env) {
    env.button("Migrate now").await.click().await.unwrap();
    env.find_text(
        "dialog[@open]//h2",
        "Migrate your legacy partner workspaces now?",
    )
    .await;
    env.click(By::XPath(
        "//dialog[@open]//button[normalize-space(.)='Migrate now']",
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_team_admin_pages_plans_and_follows_a_migration_to_its_end_across_a_reload() {
    let env = Env::start().await;
    generate_legacy(&env, 300);
    let mut db = env.database().connect().await;
    // A slow disk: each workspace takes a while, so the run is still going after a reload.
    trigger(
        &mut db,
        "slow_disk",
        "",
        "SELECT COUNT(*) FROM workspaces a, workspaces b, teams t WHERE t.rowid <= 10;",
        "PERFORM pg_sleep(0.1);",
    )
    .await;
    let mut found = Vec::new();
    env.sign_in("alice@acme.test").await;

    // The legacy list, a page at a time, the page in the URL.
    env.open(PARTNERSHIPS).await;
    env.find_text("p", "301 legacy workspaces left.").await;
    env.find_text("td", "Legacy Workspace 00001").await;
    assert!(env.main_text().await.contains("1–20 of 301"));
    found.extend(check_state(&env, "legacy list").await);
    env.click(By::Css(
        "nav[aria-label='Legacy workspace pages'] a[rel=next]",
    ))
    .await;
    env.find_text("td", "Legacy Workspace 00021").await;
    env.until_path(&format!("{PARTNERSHIPS}?migration_page=2"))
        .await;
    env.open(&format!("{PARTNERSHIPS}?migration_page=16")).await;
    env.find_text("td", "Refunds API").await;
    assert!(env.main_text().await.contains("301–301 of 301"));

    // The dry run: the first 50 workspaces and people, and how many more.
    env.button("Dry run").await.click().await.unwrap();
    env.find_text("h3", "Dry run: what Migrate now would do")
        .await;
    let plan = env
        .driver
        .find(By::Css("section[aria-label^='Dry run']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(plan.contains("301 workspaces: "), "{plan}");
    assert!(plan.contains(" and 251 more"), "{plan}");
    // alice, paul, wanda, mike, ivan, and one partner per generated workspace.
    assert!(
        plan.contains("305 people each get exactly one email:"),
        "{plan}"
    );
    assert!(plan.contains("and 255 more people."), "{plan}");
    found.extend(check_state(&env, "dry run").await);

    // Migrate now: the progress shows at once, and moves.
    confirm_migrate_now(&env).await;
    env.until_none(By::Css("dialog[open]")).await;
    let first = progress_beyond(&env, 0).await;
    env.find_text("span", "Migrated ").await;
    found.extend(check_state(&env, "running").await);

    // Reloaded mid-run: the panel finds the run and keeps following it.
    env.driver.refresh().await.unwrap();
    let (after_reload, total) = progress(&env).await;
    assert_eq!(total, 301);
    assert!(
        (first..total).contains(&after_reload),
        "still running after the reload: {after_reload} of {total}"
    );
    let text = env
        .driver
        .find(By::Css("#migration-progress"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.starts_with("Migrated ") && text.ends_with(" of 301 workspaces"),
        "{text}"
    );
    progress_beyond(&env, after_reload).await;

    // The disk recovers: the run finishes and says what it did.
    drop_trigger(&mut db, "slow_disk").await;
    env.find_text("p", "Migration done").await;
    env.find_text("p", "Migrated 301 workspaces and emailed 305 people")
        .await;
    assert!(
        env.driver
            .find_all(By::Css("progress"))
            .await
            .unwrap()
            .is_empty()
    );
    env.find_text(
        "p",
        "Every legacy partner workspace of your team has migrated.",
    )
    .await;
    found.extend(check_state(&env, "done").await);

    assert_none(&found);
    env.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_migration_says_what_happened_and_retry_now_finishes_it() {
    let env = Env::start().await;
    let refunds = env.acme_workspace_id("Refunds API").await;
    let mut db = env.database().connect().await;
    trigger(
        &mut db,
        "fail",
        &format!("NEW.id = '{refunds}'"),
        "SELECT RAISE(ABORT, 'disk on fire');",
        "RAISE EXCEPTION 'disk on fire';",
    )
    .await;
    let mut found = Vec::new();
    env.sign_in("alice@acme.test").await;
    env.open(PARTNERSHIPS).await;
    env.find_text("td", "Refunds API").await;

    confirm_migrate_now(&env).await;

    env.find_text("p", "The migration stopped").await;
    let text = env
        .find_text("p", "nobody has been emailed")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.starts_with(
            "The database refused a change while migrating \u{201c}Refunds API\u{201d}."
        ),
        "{text}"
    );
    assert!(!env.main_text().await.contains("disk on fire"));
    env.find_text("p", "It retries automatically on ").await;
    env.find_text("p", "Retry now to try again at once.").await;
    found.extend(check_state(&env, "failed").await);

    // Fixed: Retry now carries the same run to its end.
    drop_trigger(&mut db, "fail").await;
    env.button("Retry now").await.click().await.unwrap();
    env.find_text("p", "Migrated 1 workspace and emailed 4 people")
        .await;

    assert_none(&found);
    env.finish().await;
}
