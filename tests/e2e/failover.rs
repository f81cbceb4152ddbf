//! Two servers behind nginx, round-robin and not sticky: one of them is killed (SIGKILL, no
//! shutdown) while a Workspace Admin works, and she notices nothing. nginx sends what the
//! dead server would have answered to the other one; her session, made on either, lives in
//! the database. Runs on both backends (on SQLite the two servers share the file).

use std::time::Duration;

use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::harness::Env;

/// One line of nginx's access log: the final status, and every server tried in turn.
struct Forwarded {
    status: u16,
    servers: Vec<String>,
}

/// nginx's access log as `Forwarded` lines (scripts/nginx-balancer.sh's format:
/// `client "request" status -> upstream[, upstream...] statuses`).
fn forwarded(env: &Env) -> Vec<Forwarded> {
    env.balancer_log()
        .lines()
        .map(|line| {
            let (request, upstreams) = line.split_once(" -> ").expect("a balanced log line");
            let status = request.rsplit(' ').next().unwrap().parse().unwrap();
            // `127.0.0.1:1, 127.0.0.1:2 502, 200`: the servers, then their statuses.
            let servers = upstreams
                .split(", ")
                .filter_map(|part| part.split(' ').next())
                .filter(|part| part.contains(':'))
                .map(str::to_owned)
                .collect();
            Forwarded { status, servers }
        })
        .collect()
}

/// Fails if the page shows any error: an alert, a Retry, the panic page.
async fn assert_no_error_shown(env: &Env, when: &str) {
    env.assert_none(By::Css("[role=alert]")).await;
    env.assert_none(By::XPath("//button[normalize-space(.)='Retry']"))
        .await;
    let text = env.main_text().await;
    for error in ["Can't reach the server", "Something went wrong"] {
        assert!(!text.contains(error), "{when}: the page says {error:?}");
    }
}

/// Changes a partner's role in the open workspace settings and waits for the app to say so.
async fn change_role(env: &Env, name: &str, role: &str, said: &str) {
    let select = env
        .driver
        .query(By::XPath(format!(
            "//select[@id=//label[normalize-space(.)='Role of {name}']/@for]"
        )))
        .wait(Duration::from_secs(10), Duration::from_millis(50))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no role select for {name}: {e}"));
    SelectElement::new(&select)
        .await
        .unwrap()
        .select_by_value(role)
        .await
        .unwrap();
    env.find_text("*[@role='status']", said).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_while_an_admin_works_goes_unnoticed_behind_the_balancer() {
    let mut env = Env::start_servers(2, &[]).await;
    let payments = env.acme_workspace_id("Payments API").await;
    env.sign_in("wanda@acme.test").await;
    let settings = format!("/workspace/{payments}/settings");
    env.open(&settings).await;
    env.find_text("h2", "Partner access").await;
    change_role(
        &env,
        "Ivan Ito",
        "editor",
        "Ivan Ito is now an Editor in Payments API.",
    )
    .await;
    // The seats it took are read again after the change: nothing is in flight once they show.
    env.find_text(
        "*[@data-testid='editor-seats']",
        "Partner Editor seats: 2 of 3 used",
    )
    .await;

    // Both servers have been answering this page's requests.
    let before = forwarded(&env);
    let mut answered: Vec<&str> = before
        .iter()
        .filter(|line| line.status < 400)
        .filter_map(|line| line.servers.last().map(String::as_str))
        .collect();
    answered.sort_unstable();
    answered.dedup();
    assert_eq!(
        answered.len(),
        2,
        "one server answered everything: {answered:?}"
    );

    // One server dies between two clicks.
    env.kill_server(0).await;

    // She goes on: a change, another page, a reload (her session and the app's files come
    // from the other server now), and the change is still there.
    change_role(
        &env,
        "Ivan Ito",
        "viewer",
        "Ivan Ito is now a Viewer in Payments API.",
    )
    .await;
    assert_no_error_shown(&env, "after the change").await;
    env.click_text("nav[@aria-label='Main']//a", "Workspaces")
        .await;
    env.until_path("/workspaces").await;
    env.find_text("a", "Payments API").await;
    assert_no_error_shown(&env, "on Workspaces").await;
    env.open(&settings).await;
    env.find_text("h2", "Partner access").await;
    env.driver.refresh().await.unwrap();
    env.find_text("h2", "Partner access").await;
    let role = env
        .driver
        .find(By::XPath(
            "//select[@id=//label[normalize-space(.)='Role of Ivan Ito']/@for]",
        ))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(role.as_deref(), Some("viewer"));
    assert_no_error_shown(&env, "after a reload").await;

    // nginx did send requests to the dead server, and the other one answered them; nothing
    // failed on the way.
    let after = &forwarded(&env)[before.len()..];
    assert!(
        after.iter().any(|line| line.servers.len() > 1),
        "no request after the kill was retried on the other server"
    );
    let failed: Vec<u16> = after
        .iter()
        .map(|line| line.status)
        .filter(|status| *status >= 500)
        .collect();
    assert!(failed.is_empty(), "answers after the kill: {failed:?}");

    env.finish().await;
}
