//! Which browser tab a request comes from (the web app's `X-Tab-Id`), for the changes it
//! records: live updates don't send a tab's own changes back to it. Set around each request
//! by the router (`routes::tab_origin`), read where a change is recorded.

use std::future::Future;

tokio::task_local! {
    static TAB: String;
}

/// Runs `request` as coming from the tab `tab`.
pub async fn scope<F: Future>(tab: String, request: F) -> F::Output {
    TAB.scope(tab, request).await
}

/// The tab the current request comes from, if it said.
pub fn current() -> Option<String> {
    TAB.try_with(Clone::clone).ok()
}
