use std::fmt;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use partner_api::events::Event;
use partner_api::workspaces::{Workspace, WorkspacesQuery};
use partner_api::{Me, Paginated, WorkspaceTab};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::empty_state::EmptyState;
use crate::components::error_panel::ErrorPanel;
use crate::components::pagination::Pagination;
use crate::components::require_session::RequireSession;
use crate::components::skeleton_rows::SkeletonRows;
use crate::components::workspace_table::{WorkspaceLayout, WorkspaceTable};
use crate::session::use_session;

/// How long typing pauses before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// What a query value escapes (everything but unreserved characters).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The state of Workspaces that lives in the URL: tab, search and page. The URL is the
/// single source of truth; `Display` writes it back (`/workspaces?tab=…&q=…&page=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspacesUrl {
    pub tab: WorkspaceTab,
    /// The search, trimmed ("" for none).
    pub q: String,
    /// 1-based.
    pub page: u32,
}

impl Default for WorkspacesUrl {
    fn default() -> Self {
        Self {
            tab: WorkspaceTab::All,
            q: String::new(),
            page: 1,
        }
    }
}

impl WorkspacesUrl {
    /// Reads the raw query values; anything unknown takes its default (an unknown tab is All).
    pub fn parse(tab: Option<&str>, q: Option<&str>, page: Option<&str>) -> Self {
        Self {
            tab: WorkspaceTab::from_query(tab),
            q: q.unwrap_or_default().trim().to_owned(),
            page: page
                .and_then(|page| page.parse().ok())
                .filter(|page| *page >= 1)
                .unwrap_or(1),
        }
    }

    /// Reads the router's query.
    pub fn from_query(query: &ParamsMap) -> Self {
        Self::parse(
            query.get_str("tab"),
            query.get_str("q"),
            query.get_str("page"),
        )
    }

    /// Whether the raw values hold something this page doesn't understand (a junk tab, a
    /// page that isn't a number from 1): the address is then replaced by the canonical one.
    pub fn needs_replacing(tab: Option<&str>, page: Option<&str>) -> bool {
        let bad_tab = tab.is_some_and(|tab| tab.parse::<WorkspaceTab>().is_err());
        let bad_page = page.is_some_and(|page| page.parse::<u32>().map_or(true, |p| p == 0));
        bad_tab || bad_page
    }

    /// Another tab, from its first page and without the search.
    pub fn with_tab(&self, tab: WorkspaceTab) -> Self {
        Self {
            tab,
            ..Self::default()
        }
    }

    /// The same tab searched for `q`, from the first page.
    pub fn with_search(&self, q: &str) -> Self {
        Self {
            tab: self.tab,
            q: q.trim().to_owned(),
            page: 1,
        }
    }

    /// Another page of the same list.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// The request for this list.
    pub fn api_query(&self) -> WorkspacesQuery {
        WorkspacesQuery {
            tab: Some(self.tab),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            page: Some(self.page),
            per_page: None,
        }
    }
}

impl fmt::Display for WorkspacesUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("/workspaces")?;
        let mut separator = '?';
        let mut param = |f: &mut fmt::Formatter<'_>, name: &str, value: &str| {
            let written = write!(f, "{separator}{name}={value}");
            separator = '&';
            written
        };
        if self.tab != WorkspaceTab::All {
            param(f, "tab", self.tab.as_str())?;
        }
        if !self.q.is_empty() {
            param(
                f,
                "q",
                &utf8_percent_encode(&self.q, QUERY_VALUE).to_string(),
            )?;
        }
        if self.page > 1 {
            param(f, "page", &self.page.to_string())?;
        }
        Ok(())
    }
}

/// What fills an empty list, in words: (title, text, a link to External Workspaces).
fn empty_text(url: &WorkspacesUrl, me: Option<&Me>) -> (String, String, bool) {
    if !url.q.is_empty() {
        return (
            format!("No workspaces match “{}”", url.q),
            match url.tab {
                WorkspaceTab::SharedPartner => {
                    "Search looks in workspace and publisher names. Check the spelling, or \
                     clear the search."
                }
                _ => "Search looks in workspace names. Check the spelling, or clear the search.",
            }
            .to_owned(),
            false,
        );
    }
    let team = me
        .and_then(|me| me.team.as_ref())
        .map(|team| team.name.as_str());
    match (url.tab, team) {
        (WorkspaceTab::SharedPartner, _) => (
            "No workspaces are shared with you yet".to_owned(),
            "When another team invites you to one of their workspaces, you get an email with a \
             Go to workspace link, and the workspace appears here."
                .to_owned(),
            false,
        ),
        (_, None) => (
            "Your account doesn't belong to a team".to_owned(),
            "Workspaces belong to teams. Ask your company's Team Admin to add you to your team."
                .to_owned(),
            false,
        ),
        (WorkspaceTab::Mine, Some(team)) => (
            "You aren't in any of your team's workspaces".to_owned(),
            format!(
                "Workspaces of {team} that you are a member of appear here. Workspaces other \
                 teams share with you are under External Workspaces."
            ),
            true,
        ),
        (WorkspaceTab::All, Some(team)) => (
            format!("{team} has no workspaces yet"),
            "Your team's workspaces appear here. Workspaces other teams share with you are \
             under External Workspaces."
                .to_owned(),
            true,
        ),
    }
}

/// Workspaces > View All Workspaces: All and My workspaces list the caller's own team's
/// workspaces, External Workspaces the ones other teams share with them, grouped by
/// publisher. Tab, search and page live in the URL.
#[component]
pub fn Workspaces() -> impl IntoView {
    let query = use_query_map();
    let url = Memo::new(move |_| query.with(WorkspacesUrl::from_query));
    // Asked for now, beside the session check, not after it; someone signed out gets a 401
    // that is never shown.
    let list = LocalResource::new(move || {
        let request = url.get().api_query();
        async move { api::workspaces::list(&request).await }
    });
    // Live updates: a workspace in the list changed, access to one ended, or the list did.
    use_live_events().refetch_on(
        |event| {
            matches!(
                event,
                Event::WorkspaceChanged { .. }
                    | Event::AccessEnded { .. }
                    | Event::WorkspacesChanged
            )
        },
        move || list.refetch(),
    );
    view! {
        <RequireSession>
            <WorkspacesPage url=url list=list />
        </RequireSession>
    }
}

/// The tabs, the search and the list, for someone signed in.
#[component]
fn WorkspacesPage(
    url: Memo<WorkspacesUrl>,
    list: LocalResource<Result<Paginated<Workspace>, ApiError>>,
) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let session = use_session();

    let replace = NavigateOptions {
        replace: true,
        ..Default::default()
    };

    // A junk `?tab=` or `?page=` shows the default and the address says so too.
    Effect::new({
        let navigate = navigate.clone();
        let replace = replace.clone();
        move |_| {
            let junk =
                query.with(|q| WorkspacesUrl::needs_replacing(q.get_str("tab"), q.get_str("page")));
            if junk {
                navigate(&url.get_untracked().to_string(), replace.clone());
            }
        }
    });

    // The search box: typed text runs after a pause, replacing the address (no history
    // entry per keystroke).
    let text = RwSignal::new(url.get_untracked().q);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let run_search = {
        let navigate = navigate.clone();
        move |value: String| {
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            timer.set_value(None);
            let next = url.get_untracked().with_search(&value);
            if next != url.get_untracked() {
                navigate(&next.to_string(), replace.clone());
            }
        }
    };
    let on_input = {
        let run_search = run_search.clone();
        move |ev| {
            let value = event_target_value(&ev);
            text.set(value.clone());
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            let run_search = run_search.clone();
            let handle = set_timeout_with_handle(move || run_search(value), SEARCH_DELAY).ok();
            timer.set_value(handle);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run_search(text.get_untracked());
    };
    on_cleanup(move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
    // The address changed some other way (a tab, Back): the box follows it.
    Effect::new(move |_| {
        let q = url.with(|url| url.q.clone());
        if timer.with_value(Option::is_none) && text.with_untracked(|t| t.trim() != q) {
            text.set(q);
        }
    });

    let busy = RwSignal::new(false);

    let class = style! {
        .workspaces {
            padding: var(--space-5) var(--space-6) var(--space-7);
            max-width: var(--content-max);
            width: 100%;
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .lede {
            color: var(--color-text-secondary);
        }
        .tabs {
            display: flex;
            gap: var(--space-1);
            box-shadow: inset 0 -1px 0 var(--color-border);
            overflow-x: auto;
            scrollbar-width: none;
        }
        .tabs a {
            padding: var(--space-2) var(--space-3);
            color: var(--color-text-secondary);
            text-decoration: none;
            font-weight: 500;
            white-space: nowrap;
            border-bottom: 2px solid transparent;
        }
        .tabs a:hover {
            color: var(--color-text);
        }
        .tabs a[aria-selected="true"] {
            color: var(--color-text);
            border-bottom-color: var(--color-accent);
        }
        .panel {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-3);
        }
        .hint {
            color: var(--color-text-secondary);
        }
        .search {
            width: 320px;
            max-width: 100%;
        }
        .results {
            display: flex;
            flex-direction: column;
            transition: opacity 120ms;
        }
        .results[aria-busy="true"] {
            opacity: 0.6;
        }
        .skeleton {
            width: 100%;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            border-collapse: separate;
        }
        @media (max-width: 640px) {
            .workspaces {
                padding: var(--space-4);
            }
            .search {
                width: 100%;
            }
            .tabs a {
                padding: var(--space-2);
            }
        }
    };

    let tabs = WorkspaceTab::ALL
        .into_iter()
        .map(|tab| {
            view! { class=class,
                <a
                    href=move || url.with(|url| url.with_tab(tab).to_string())
                    role="tab"
                    id=format!("tab-{tab}")
                    aria-selected=move || (url.with(|url| url.tab) == tab).to_string()
                    aria-controls="workspaces-panel"
                >
                    {tab.label()}
                </a>
            }
        })
        .collect_view();

    let lede = move || {
        let team = session
            .me()
            .and_then(|me| me.team)
            .map(|team| team.name)
            .unwrap_or_else(|| "your team".to_owned());
        match url.with(|url| url.tab) {
            WorkspaceTab::All => format!("Every workspace of {team}."),
            WorkspaceTab::Mine => format!("The workspaces of {team} you are a member of."),
            WorkspaceTab::SharedPartner => {
                "Workspaces other teams share with you, grouped by the team that publishes them."
                    .to_owned()
            }
        }
    };
    let search_label = move || match url.with(|url| url.tab) {
        WorkspaceTab::SharedPartner => "Search External Workspaces",
        WorkspaceTab::Mine => "Search my workspaces",
        WorkspaceTab::All => "Search workspaces",
    };

    let results = move || {
        Suspend::new(async move {
            let current = url.get_untracked();
            match list.await {
                Ok(page) if page.items.is_empty() => {
                    let (title, text, external) = empty_text(&current, session.me().as_ref());
                    let action = if !current.q.is_empty() {
                        Some((current.with_search("").to_string(), "Clear search"))
                    } else if external {
                        Some((
                            current.with_tab(WorkspaceTab::SharedPartner).to_string(),
                            "Go to External Workspaces",
                        ))
                    } else {
                        None
                    };
                    view! {
                        <EmptyState title=title text=text>
                            {action
                                .map(|(href, label)| {
                                    view! { <a class="button" href=href>{label}</a> }
                                })}
                        </EmptyState>
                    }
                    .into_any()
                }
                Ok(page) => {
                    let layout = if current.tab == WorkspaceTab::SharedPartner {
                        WorkspaceLayout::ByPublisher
                    } else {
                        WorkspaceLayout::Team
                    };
                    let pages = page.page_count();
                    let prev =
                        (current.page > 1).then(|| current.with_page(current.page - 1).to_string());
                    let next = (u64::from(current.page) < pages)
                        .then(|| current.with_page(current.page + 1).to_string());
                    let range = page.range();
                    let total = page.total;
                    // One page needs no paging.
                    let paging = (prev.is_some() || next.is_some()).then(|| {
                        view! { <Pagination range=range total=total prev=prev next=next /> }
                    });
                    view! {
                        <WorkspaceTable workspaces=page.items layout=layout />
                        {paging}
                    }
                    .into_any()
                }
                Err(error) => {
                    view! { <ErrorPanel error=error on_retry=move |()| list.refetch() /> }
                        .into_any()
                }
            }
        })
    };

    view! { class=class,
        <div class="workspaces">
            <header class="page-head">
                <h1>"Workspaces"</h1>
                <p class="lede">{lede}</p>
            </header>
            <div class="tabs" role="tablist" aria-label="Workspaces">{tabs}</div>
            <div
                class="panel"
                id="workspaces-panel"
                role="tabpanel"
                aria-labelledby=move || format!("tab-{}", url.with(|url| url.tab))
            >
                <form class="toolbar" role="search" on:submit=on_submit>
                    <label for="workspace-search" class="visually-hidden">{search_label}</label>
                    <input
                        id="workspace-search"
                        class="input search"
                        type="search"
                        name="q"
                        autocomplete="off"
                        placeholder=search_label
                        prop:value=text
                        on:input=on_input
                    />
                </form>
                // While a newer search loads, the last answer stays, dimmed.
                <div class="results" aria-busy=move || busy.get().to_string()>
                <Transition
                    set_pending=busy
                    fallback=move || view! { class=class,
                        <table class="skeleton" aria-busy="true">
                            <caption class="visually-hidden">"Loading workspaces…"</caption>
                            <tbody>
                                <SkeletonRows rows=4 columns=3 />
                            </tbody>
                        </table>
                    }
                >
                    {results}
                </Transition>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_html_starts_each_tabs_first_page_early() {
        let reads = crate::api::early::index_html_reads();
        let mut expected = vec![(
            WorkspacesUrl::default().to_string(),
            api::workspaces::list_path(&WorkspacesUrl::default().api_query()),
        )];
        for tab in WorkspaceTab::ALL {
            let url = WorkspacesUrl::default().with_tab(tab);
            let page = format!("/workspaces?tab={tab}");
            assert_eq!(WorkspacesUrl::parse(Some(tab.as_str()), None, None), url);
            expected.push((page, api::workspaces::list_path(&url.api_query())));
        }
        expected.sort();
        let early: Vec<_> = reads
            .into_iter()
            .filter(|(page, _)| page.starts_with("/workspaces"))
            .collect();
        assert_eq!(early, expected);
    }

    #[test]
    fn the_url_reads_tab_search_and_page_with_defaults_for_junk() {
        assert_eq!(
            WorkspacesUrl::parse(None, None, None),
            WorkspacesUrl::default()
        );
        assert_eq!(
            WorkspacesUrl::parse(Some("shared_partner"), Some("  fraud "), Some("2")),
            WorkspacesUrl {
                tab: WorkspaceTab::SharedPartner,
                q: "fraud".to_owned(),
                page: 2,
            }
        );
        let junk = WorkspacesUrl::parse(Some("overview"), None, Some("0"));
        assert_eq!(junk, WorkspacesUrl::default());
        assert_eq!(WorkspacesUrl::parse(None, None, Some("-3")).page, 1);
    }

    #[test]
    fn junk_in_the_address_is_replaced_and_good_values_are_kept() {
        assert!(WorkspacesUrl::needs_replacing(Some("junk"), None));
        assert!(WorkspacesUrl::needs_replacing(Some(""), None));
        assert!(WorkspacesUrl::needs_replacing(None, Some("two")));
        assert!(WorkspacesUrl::needs_replacing(None, Some("0")));
        assert!(!WorkspacesUrl::needs_replacing(None, None));
        assert!(!WorkspacesUrl::needs_replacing(Some("all"), Some("3")));
        assert!(!WorkspacesUrl::needs_replacing(
            Some("shared_partner"),
            None
        ));
    }

    #[test]
    fn the_url_is_written_back_with_only_what_differs_from_the_defaults() {
        assert_eq!(WorkspacesUrl::default().to_string(), "/workspaces");
        let external = WorkspacesUrl::default().with_tab(WorkspaceTab::SharedPartner);
        assert_eq!(external.to_string(), "/workspaces?tab=shared_partner");
        let searched = external.with_search(" a&b c ").with_page(3);
        assert_eq!(
            searched.to_string(),
            "/workspaces?tab=shared_partner&q=a%26b%20c&page=3"
        );
        assert_eq!(
            searched.with_search("x").to_string(),
            "/workspaces?tab=shared_partner&q=x",
            "a new search starts on the first page"
        );
        assert_eq!(
            searched.with_tab(WorkspaceTab::Mine).to_string(),
            "/workspaces?tab=mine",
            "another tab starts afresh"
        );
        assert_eq!(
            WorkspacesUrl::default().with_search("pay").to_string(),
            "/workspaces?q=pay"
        );
    }

    #[test]
    fn the_request_follows_the_url() {
        let url = WorkspacesUrl::parse(Some("mine"), Some("pay"), Some("2"));
        assert_eq!(
            url.api_query(),
            WorkspacesQuery {
                tab: Some(WorkspaceTab::Mine),
                q: Some("pay".to_owned()),
                page: Some(2),
                per_page: None,
            }
        );
        assert_eq!(WorkspacesUrl::default().api_query().q, None);
    }

    #[test]
    fn empty_lists_say_where_workspaces_come_from() {
        let external = WorkspacesUrl::default().with_tab(WorkspaceTab::SharedPartner);
        let (title, text, _) = empty_text(&external, None);
        assert_eq!(title, "No workspaces are shared with you yet");
        assert!(text.contains("email with a Go to workspace link"));
        let (title, _, _) = empty_text(&external.with_search("zzz"), None);
        assert_eq!(title, "No workspaces match “zzz”");
        let (title, _, link) = empty_text(&WorkspacesUrl::default(), None);
        assert_eq!(title, "Your account doesn't belong to a team");
        assert!(!link);
    }
}
