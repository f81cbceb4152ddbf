//! Team Settings > External access: what the team's people can open in other companies'
//! workspaces (filtered and paged on the server, all in the URL), for the team's Team
//! Admins to see, export as CSV and end.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query};
use partner_api::events::Event;
use partner_api::external_access::{
    AccessEnded, ExternalAccess as ExternalAccessAnswer, ExternalAccessQuery, PublisherCount,
};
use partner_api::{ErrorCode, TeamRole};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::end_access_dialog::{EndAccessDialog, EndTarget};
use crate::components::external_access_filters::ExternalAccessFilters;
use crate::components::external_access_table::{ExternalAccessTable, GrantsTableState};
use crate::components::no_permission::NoPermission;
use crate::components::require_session::RequireSession;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::components::toast::{ToastKind, use_toasts};
use crate::params::external_access::ExternalAccessParams;
use crate::session::use_session;

/// What people who may not open External access are told.
pub const NO_PERMISSION: &str = "Only Team Admins can see External access";

/// Team Settings > External access: what the team's people can open in other companies'
/// workspaces.
#[component]
pub fn ExternalAccess() -> impl IntoView {
    // Asked for now, beside the session check, not after it (one round trip less on a cold
    // load); someone signed out or without permission gets a 401/403 that is never shown.
    let data = ExternalAccessData::load();
    // Live updates: the team changed (someone left, access was ended elsewhere).
    use_live_events().refetch_on(
        |event| matches!(event, Event::TeamChanged),
        move || data.list.refetch(),
    );
    view! {
        <RequireSession>
            <ExternalAccessPage data=data />
        </RequireSession>
    }
}

/// The view in the URL and the list it asks for.
#[derive(Clone, Copy)]
struct ExternalAccessData {
    params: Memo<ExternalAccessParams>,
    api_query: Memo<ExternalAccessQuery>,
    /// Each answer says which query it answers, so the table can tell a stale page.
    list: LocalResource<(ExternalAccessQuery, Result<ExternalAccessAnswer, ApiError>)>,
}

impl ExternalAccessData {
    fn load() -> Self {
        let query = use_query::<ExternalAccessParams>();
        let params = Memo::new(move |_| query.get().unwrap_or_default());
        let api_query = Memo::new(move |_| params.with(ExternalAccessParams::api_query));
        let list = LocalResource::new(move || {
            let query = api_query.get();
            async move {
                let answer = api::external_access::list(&query).await;
                (query, answer)
            }
        });
        Self {
            params,
            api_query,
            list,
        }
    }
}

/// The page around its content, for someone signed in.
#[component]
fn ExternalAccessPage(data: ExternalAccessData) -> impl IntoView {
    let class = style! {
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-5);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 72ch;
            overflow-wrap: break-word;
            margin: 0;
        }
    };
    let session = use_session();
    // `RequireSession` shows this page only to someone signed in; the server has the last
    // word (a 403 shows the same explanation).
    let allowed = Memo::new(move |_| {
        session
            .me()
            .map(|me| me.team.is_some() && me.team_role == Some(TeamRole::Admin))
    });
    let team = Memo::new(move |_| {
        session
            .me()
            .and_then(|me| me.team)
            .map(|team| team.name)
            .unwrap_or_else(|| "your team".to_owned())
    });
    view! {
        <TeamSettingsFrame selected=TeamSection::ExternalAccess>
            <header class=format!("{class} page-head")>
                <h1 id="external-access-title">"External access"</h1>
                <p class=format!("{class} lede")>
                    {move || {
                        format!(
                            "Workspaces of other companies that people of {} can open, and since \
                             when. End access you no longer want: the publisher is told by email.",
                            team.get(),
                        )
                    }}
                </p>
            </header>
            {move || match allowed.get() {
                Some(true) => view! { <ExternalAccessContent data=data team=team /> }.into_any(),
                Some(false) => no_permission().into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

fn no_permission() -> impl IntoView {
    let me = use_session().me();
    view! {
        <NoPermission
            title=NO_PERMISSION
            advice="External access lists the workspaces of other companies that people of your \
                    team can open, and lets Team Admins end that access. Ask a Team Admin of your \
                    team if you need it."
            me=me
        />
    }
}

/// The filters, the table and the dialogs, for Team Admins.
#[component]
fn ExternalAccessContent(data: ExternalAccessData, team: Memo<String>) -> impl IntoView {
    let class = style! {
        .toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            justify-content: space-between;
            gap: var(--space-3);
            margin-bottom: var(--space-4);
        }
        .filters {
            flex: 1 1 560px;
            min-width: 0;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            justify-content: flex-end;
            gap: var(--space-2);
            margin-left: auto;
        }
        @media (max-width: 640px) {
            .actions {
                width: 100%;
                justify-content: flex-start;
            }
        }
    };
    let ExternalAccessData {
        params,
        api_query,
        list,
    } = data;
    let toasts = use_toasts();
    let navigate = use_navigate();
    // Filters are steps back/forward can retrace; each keystroke of a search replaces the
    // last. The page stays where it is scrolled.
    let go = Callback::new(move |(next, replace): (ExternalAccessParams, bool)| {
        navigate(
            &next.href(),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let forbidden = Memo::new(move |_| {
        list.with(|answer| {
            matches!(answer, Some((_, Err(error))) if error.code() == Some(ErrorCode::Forbidden))
        })
    });
    // The table stays mounted and follows the resource: the last answer stays on screen
    // (dimmed) while the next loads.
    let table_state = Memo::new(move |_| {
        list.with(|answer| match answer {
            None => GrantsTableState::Loading,
            Some((_, Ok(access))) => GrantsTableState::Loaded(access.grants.clone()),
            Some((_, Err(error))) => GrantsTableState::Failed(error.clone()),
        })
    });
    let busy = Memo::new(move |_| {
        let wanted = api_query.get();
        list.with(|answer| answer.as_ref().is_some_and(|(query, _)| *query != wanted))
    });
    // The publishers of the last answer that came (the filter keeps them while the next
    // page loads or after a failure).
    let publishers = Memo::new(move |previous: Option<&Vec<PublisherCount>>| {
        list.with(|answer| match answer {
            Some((_, Ok(access))) => access.publishers.clone(),
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    // The publisher filtered by, when it is listed: "End all access with …" ends its grants.
    let filtered_publisher = Memo::new(move |_| {
        let chosen = params.with(|p| p.publisher.clone())?;
        publishers.with(|list| list.iter().find(|p| p.publisher.id == chosen).cloned())
    });
    let csv = Memo::new(move |_| api::external_access::csv_url(&api_query.get()));

    let ending = RwSignal::new(None::<EndTarget>);
    let on_ended = Callback::new(move |(what, ended): (EndTarget, AccessEnded)| {
        ending.set(None);
        toasts.show(
            ToastKind::Success,
            what.ended_message(ended, &team.get_untracked()),
        );
        // No one has access with that publisher now: its filter would only list nothing.
        if let EndTarget::Publisher(count) = &what
            && params.with_untracked(|p| p.publisher.as_ref() == Some(&count.publisher.id))
        {
            go.run((params.get_untracked().with_publisher(None), false));
        } else {
            list.refetch();
        }
    });

    let end_all = move || {
        filtered_publisher.get().map(|count| {
            let label = format!("End all access with {}…", count.publisher.name);
            view! {
                <button
                    type="button"
                    class="button button-danger"
                    on:click=move |_| ending.set(Some(EndTarget::Publisher(count.clone())))
                >
                    {label}
                </button>
            }
        })
    };

    view! { class=class,
        <Show when=move || !forbidden.get() fallback=no_permission>
            <div class="toolbar">
                <div class="filters">
                    <ExternalAccessFilters
                    q=Signal::derive(move || params.with(|p| p.q.clone()))
                    publisher=Signal::derive(move || params.with(|p| p.publisher.clone()))
                    role=Signal::derive(move || params.with(|p| p.role))
                    publishers=publishers
                    on_search=move |q: String| go.run((params.get_untracked().with_search(&q), true))
                    on_publisher=move |publisher| {
                        go.run((params.get_untracked().with_publisher(publisher), false))
                    }
                    on_role=move |role| go.run((params.get_untracked().with_role(role), false))
                />
                </div>
                <div class="actions">
                    {end_all}
                    // A plain link: the browser downloads the server's CSV of the same filters.
                    <a class="button" href=csv download="">
                        "Download CSV"
                    </a>
                </div>
            </div>
            <ExternalAccessTable
                state=table_state
                params=params
                on_end=move |grant| ending.set(Some(EndTarget::Grant(grant)))
                on_clear=move |()| go.run((params.get_untracked().cleared(), false))
                on_retry=move |()| list.refetch()
                busy=busy
            />
            <EndAccessDialog
                target=ending
                team=team
                on_ended=on_ended
                on_cancel=move |()| ending.set(None)
            />
        </Show>
    }
}
